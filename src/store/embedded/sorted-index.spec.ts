import { SortedIndex } from './sorted-index.js';

describe('SortedIndex', () => {
  let sut: SortedIndex;
  let reference: string[];

  beforeEach(() => {
    sut = new SortedIndex();
    reference = [];
  });

  function randomEntry(random: () => number): string {
    return `e${Math.floor(random() * 20_000)
      .toString()
      .padStart(5, '0')}`;
  }

  function seeded(seed: number): () => number {
    let state = seed;
    return () => {
      state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
      return state / 2 ** 31;
    };
  }

  it('should keep entries sorted and unique through many inserts and deletes', () => {
    const random = seeded(7);
    const present = new Set<string>();
    for (let i = 0; i < 30_000; i++) {
      const entry = randomEntry(random);
      if (random() < 0.3) {
        sut.delete(entry);
        present.delete(entry);
      } else {
        sut.insert(entry, `id-${entry}`);
        present.add(entry);
      }
    }
    reference = [...present].sort();

    const all = [...sut.ascending('', '\u0100')];

    expect(all.map(([entry]) => entry)).toEqual(reference);
    expect(all.every(([entry, id]) => id === `id-${entry}`)).toBe(true);
  });

  it('should find the first entry at or after a bound and the last one before it', () => {
    const random = seeded(11);
    for (let i = 0; i < 5_000; i++) {
      const entry = randomEntry(random);
      sut.insert(entry, entry);
      reference.push(entry);
    }
    reference = [...new Set(reference)].sort();

    for (let i = 0; i < 500; i++) {
      const probe = randomEntry(random) + (random() < 0.5 ? '' : 'x');
      const ceiling = reference.find((entry) => entry >= probe);
      const lower = reference.filter((entry) => entry < probe).at(-1);
      expect(sut.ceiling(probe)?.[0]).toBe(ceiling);
      expect(sut.lower(probe)?.[0]).toBe(lower);
    }
  });

  it('should iterate exactly the entries of a half-open range', () => {
    ['a', 'b', 'c', 'd', 'e'].forEach((entry) => sut.insert(entry, entry));

    expect([...sut.ascending('b', 'd')].map(([entry]) => entry)).toEqual(['b', 'c']);
    expect([...sut.ascending('bb', 'z')].map(([entry]) => entry)).toEqual(['c', 'd', 'e']);
    expect([...sut.ascending('f', 'z')]).toEqual([]);
  });

  it('should answer nothing when empty', () => {
    expect(sut.ceiling('a')).toBeUndefined();
    expect(sut.lower('a')).toBeUndefined();
    expect([...sut.ascending('', 'z')]).toEqual([]);
  });
});
