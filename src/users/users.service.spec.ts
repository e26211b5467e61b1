import { ConflictException, NotFoundException } from '@nestjs/common';
import { type UserRecord, UsernameTakenError, type UsersRepository } from './users.repository.js';
import { UsersService } from './users.service.js';

const ada: UserRecord = {
  id: 'u1',
  username: 'ada',
  displayName: 'Ada',
  avatarUrl: null,
  bio: '',
  email: 'ada@example.com',
  createdAt: new Date('2026-01-02T03:04:05Z'),
};

/** A repository whose every method fails unless the test gives it an answer. */
function strictRepository(overrides: Partial<UsersRepository>): UsersRepository {
  const unexpected = (name: string) => () => Promise.reject(new Error(`unexpected call to ${name}`));
  return {
    findById: unexpected('findById'),
    findByIds: unexpected('findByIds'),
    findByUsername: unexpected('findByUsername'),
    create: unexpected('create'),
    update: unexpected('update'),
    ...overrides,
  } as unknown as UsersRepository;
}

describe('UsersService', () => {
  it('should return an existing user without creating one', async () => {
    const sut = new UsersService(strictRepository({ findById: () => Promise.resolve(ada) }));

    await expect(sut.getMe({ id: 'u1' })).resolves.toMatchObject({ id: 'u1', email: 'ada@example.com', postCount: 0 });
  });

  it('should create a first-time caller from the token claims', async () => {
    const created: unknown[] = [];
    const sut = new UsersService(
      strictRepository({
        findById: () => Promise.resolve(undefined),
        create: (user) => {
          created.push(user);
          return Promise.resolve(ada);
        },
      }),
    );

    await sut.getMe({ id: 'u1', email: 'ada@example.com', name: 'Ada', picture: 'https://pic' });

    expect(created).toEqual([
      expect.objectContaining({ id: 'u1', displayName: 'Ada', avatarUrl: 'https://pic', email: 'ada@example.com' }),
    ]);
    expect((created[0] as { usernameCandidates: string[] }).usernameCandidates[0]).toBe('ada');
  });

  it('should turn a taken username into 409', async () => {
    const sut = new UsersService(
      strictRepository({
        findById: () => Promise.resolve(ada),
        update: () => Promise.reject(new UsernameTakenError()),
      }),
    );

    await expect(sut.updateMe({ id: 'u1' }, { username: 'bob' })).rejects.toBeInstanceOf(ConflictException);
  });

  it('should answer 404 for an unknown username, looked up in lower case', async () => {
    const asked: string[] = [];
    const sut = new UsersService(
      strictRepository({
        findByUsername: (name) => {
          asked.push(name);
          return Promise.resolve(undefined);
        },
      }),
    );

    await expect(sut.getUserByUsername('Nobody')).rejects.toBeInstanceOf(NotFoundException);
    expect(asked).toEqual(['nobody']);
  });

  it('should leave the email out of public profiles', async () => {
    const sut = new UsersService(strictRepository({ findById: () => Promise.resolve(ada) }));

    await expect(sut.getUser('u1')).resolves.not.toHaveProperty('email');
  });
});
