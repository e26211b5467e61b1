import { searchQuery, userSearchTerms } from './search-text.js';

describe('search text', () => {
  it('should index every prefix of the username and of each name word, without case or accents', () => {
    const terms = userSearchTerms('ada.lovelace', 'Ada Ñúñez-Byron');

    for (const term of ['a', 'ada', 'ada.', 'ada.lovelace', 'lovelace', 'lov', 'nunez', 'nu', 'byron']) {
      expect(terms).toContain(term);
    }
    expect(terms).not.toContain('Ada');
    expect(terms).not.toContain('ñuñez');
    expect(new Set(terms).size).toBe(terms.length);
  });

  it('should keep prefixes to 30 characters and a name to its first 8 words', () => {
    const terms = userSearchTerms('x'.repeat(40), 'one two three four five six seven eight nine');

    expect(Math.max(...terms.map((term) => term.length))).toBe(30);
    expect(terms).toContain('eight');
    expect(terms).not.toContain('nine');
  });

  it('should read a query as it is matched: trimmed, lowercase, no accents, no leading @ or #', () => {
    expect(searchQuery('  @José ')).toBe('jose');
    expect(searchQuery('#Café')).toBe('cafe');
  });
});
