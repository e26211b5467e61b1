import { type Candidates, CandidateCache } from './search-candidates.js';

const hits = (...ids: string[]) => ({ hits: ids.map((id) => ({ id, tier: 1 })), exactId: undefined });

describe('CandidateCache', () => {
  let now = 0;
  const clock = () => now;
  beforeEach(() => {
    now = 1_000;
  });

  it('should serve a search from one load while fresh, and load it again once stale', async () => {
    const sut = new CandidateCache(2_000, 10, clock);
    let loads = 0;
    const load = () => Promise.resolve(hits(`u${++loads}`));
    expect((await sut.get('em', load)).hits[0].id).toBe('u1');
    now += 1_999;
    expect((await sut.get('em', load)).hits[0].id).toBe('u1');
    now += 1;
    expect((await sut.get('em', load)).hits[0].id).toBe('u2');
    expect(loads).toBe(2);
  });

  it('should share one load among searches that miss at once, counts included once set', async () => {
    const sut = new CandidateCache(2_000, 10, clock);
    let loads = 0;
    let release: (value: Omit<Candidates, 'counts'>) => void = () => undefined;
    const load = () => {
      loads += 1;
      return new Promise<Omit<Candidates, 'counts'>>((resolve) => (release = resolve));
    };
    const both = Promise.all([sut.get('em', load), sut.get('em', load)]);
    release(hits('a'));
    const [first, second] = await both;
    expect(loads).toBe(1);
    first.counts = new Map([['a', 3]]);
    expect((await sut.get('em', load)).counts?.get('a')).toBe(3);
    expect(second).toBe(first);
  });

  it('should keep no failed load: the next search tries again', async () => {
    const sut = new CandidateCache(2_000, 10, clock);
    await expect(sut.get('em', () => Promise.reject(new Error('store down')))).rejects.toThrow('store down');
    expect(sut.size).toBe(0);
    expect((await sut.get('em', () => Promise.resolve(hits('b')))).hits[0].id).toBe('b');
  });

  it('should keep at most its number of searches, dropping the oldest', async () => {
    const sut = new CandidateCache(2_000, 3, clock);
    for (const term of ['a', 'b', 'c', 'd']) {
      await sut.get(term, () => Promise.resolve(hits(term)));
    }
    expect(sut.size).toBe(3);
    let loaded = false;
    await sut.get('a', () => ((loaded = true), Promise.resolve(hits('a'))));
    expect(loaded).toBe(true);
  });
});
