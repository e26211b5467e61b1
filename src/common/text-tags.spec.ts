import { parseMentions, parseTags } from './text-tags.js';

describe('parseTags', () => {
  it('should find hashtags in any script, lowercase, each once, in order', () => {
    expect(parseTags('Sunset #Beach #beach #été #東京 #x_1 end')).toEqual(['beach', 'été', '東京', 'x_1']);
  });

  it('should not take a # inside a word, an HTML entity or a lone #', () => {
    expect(parseTags('C#sharp a&#39;b # #_ok')).toEqual(['_ok']);
  });

  it('should take at most 100 characters as a tag and nothing past them', () => {
    expect(parseTags(`#${'a'.repeat(100)}`)).toEqual(['a'.repeat(100)]);
    expect(parseTags(`#${'a'.repeat(101)}`)).toEqual([]);
  });
});

describe('parseMentions', () => {
  it('should find usernames, lowercase, each once, without a sentence’s final dot', () => {
    expect(parseMentions('Thanks @Alice and @bob.smith. Also @alice!')).toEqual(['alice', 'bob.smith']);
  });

  it('should not take an email address, a too-short name or one inside a word', () => {
    expect(parseMentions('mail ann@example.com, @ab, x@yz, @ok_name')).toEqual(['ok_name']);
  });

  it('should not take a reserved name, nor the start of a name too long to be one', () => {
    expect(parseMentions('@__init__ @____ @__proto__ @ok__')).toEqual(['ok__']);
    expect(parseMentions(`@anna.${'b'.repeat(30)} end`)).toEqual([]);
  });
});
