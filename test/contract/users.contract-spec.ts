import { ErrorCode } from '../../src/common/errors.js';
import { UsersRepository, type NewUser } from '../../src/repositories/users.repository.js';
import { contractAdapters } from './store-adapters.js';
import { contractSuite } from './store-contract.js';

const newUser = (id: string, candidates: string[]): NewUser => ({
  id,
  displayName: `User ${id}`,
  pictureUrl: null,
  email: `${id}@example.com`,
  usernameCandidates: candidates,
});

/** The users repository on every adapter: the uniqueness rules hold under concurrency on both stores. */
describe.each(contractAdapters())('UsersRepository on $name', (adapter) => {
  const { test, store } = contractSuite(adapter);
  let sut: UsersRepository;

  beforeEach(() => {
    sut = new UsersRepository(store());
  });

  async function claimsOf(userId: string): Promise<string[]> {
    const result = await store().query({
      kind: 'Username',
      filters: [{ property: 'userId', op: '=', value: userId }],
      limit: 10,
    });
    return result.entities.map((entity) => entity.key.name);
  }

  test('should create exactly one user and one username claim from ten concurrent first calls', async () => {
    const created = await Promise.all(
      Array.from({ length: 10 }, () => sut.create(newUser('u1', ['alice', 'alice_1234', 'alice_5678']))),
    );

    expect(new Set(created.map((user) => `${user.username}|${user.createdAt.toISOString()}`)).size).toBe(1);
    expect(await claimsOf('u1')).toEqual([created[0].username]);
  });

  test('should give two new users with the same email name different usernames', async () => {
    const [a, b] = await Promise.all([
      sut.create(newUser('u1', ['bob', 'bob_0001'])),
      sut.create(newUser('u2', ['bob', 'bob_0002'])),
    ]);

    expect([a.username, b.username].sort()).toEqual(expect.arrayContaining(['bob']));
    expect(a.username).not.toBe(b.username);
  });

  test('should let exactly one of two users racing for a username win', async () => {
    await Promise.all([sut.create(newUser('u1', ['carol'])), sut.create(newUser('u2', ['dave']))]);

    const outcomes = await Promise.allSettled([
      sut.update('u1', { username: 'winner' }),
      sut.update('u2', { username: 'winner' }),
    ]);

    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    const [lost] = outcomes.filter((outcome) => outcome.status === 'rejected');
    expect(lost.reason).toMatchObject({ code: ErrorCode.UsernameTaken });
    expect(await sut.idOfUsername('winner')).toMatch(/^u[12]$/);
  });

  test('should free the old username on a rename', async () => {
    await Promise.all([sut.create(newUser('u1', ['erin'])), sut.create(newUser('u2', ['frank']))]);

    await sut.update('u1', { username: 'erin.new', bio: 'hello' });

    expect(await claimsOf('u1')).toEqual(['erin.new']);
    expect(await sut.idOfUsername('erin')).toBeUndefined();
    expect((await sut.update('u2', { username: 'erin' }))?.user).toMatchObject({ id: 'u2', username: 'erin' });
    expect(await sut.findById('u1')).toMatchObject({ username: 'erin.new', bio: 'hello' });
  });

  test('should set, keep, replace and remove an avatar, telling each time which one it replaced', async () => {
    await sut.create(newUser('u1', ['ivy']));
    const avatar = (uploadId: string) => ({
      uploadId,
      variants: [{ width: 64, height: 64, objectName: `avatars/u1/${uploadId}-s64` }],
    });
    const taken: string[] = [];
    const take = (uploadId: string) => () => Promise.resolve(void taken.push(uploadId));

    const set = await sut.update('u1', { avatar: avatar('a'), bio: 'first' }, take('a'));
    const retried = await sut.update('u1', { avatar: avatar('a') }, take('a'));
    const replaced = await sut.update('u1', { avatar: avatar('b') }, take('b'));
    const removed = await sut.update('u1', { avatar: null });

    expect(set).toMatchObject({ user: { avatar: avatar('a'), bio: 'first' }, replacedAvatar: null });
    expect(retried).toMatchObject({ user: { avatar: avatar('a') }, replacedAvatar: null });
    expect(replaced).toMatchObject({ user: { avatar: avatar('b'), bio: 'first' }, replacedAvatar: avatar('a') });
    expect(removed).toMatchObject({ user: { avatar: null, bio: 'first' }, replacedAvatar: avatar('b') });
    expect(taken).toEqual(['a', 'b']);
    expect(await sut.findById('u1')).toMatchObject({ avatar: null, username: 'ivy' });
  });

  test('should look users up in one batch and skip unknown ids', async () => {
    await Promise.all([sut.create(newUser('u1', ['gina'])), sut.create(newUser('u2', ['hank']))]);

    const found = await sut.findByIds(['u2', 'nobody', 'u1']);

    expect([...found.keys()].sort()).toEqual(['u1', 'u2']);
  });
});
