import { createServer, type Server, type Socket } from 'node:net';
import { StoreUnavailableError } from '../store.errors.js';
import { DatastoreStore } from './datastore-store.js';

function listen(server: Server): Promise<string> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve(`127.0.0.1:${(server.address() as { port: number }).port}`));
  });
}

describe('DatastoreStore', () => {
  const sockets: Socket[] = [];
  let silent: Server;
  let silentHost: string;
  let closedHost: string;

  beforeAll(async () => {
    silent = createServer((socket) => sockets.push(socket));
    silentHost = await listen(silent);
    const closed = createServer();
    closedHost = await listen(closed);
    await new Promise((resolve) => closed.close(resolve));
  });

  afterAll(() => {
    sockets.forEach((socket) => socket.destroy());
    silent.close();
  });

  it.each([
    ['nothing listens', () => closedHost],
    ['the endpoint never answers', () => silentHost],
  ])('should fail with StoreUnavailableError at its deadline instead of hanging when %s', async (_, host) => {
    const sut = new DatastoreStore({ projectId: 'p', apiEndpoint: host(), timeoutMs: 300 });

    const results = await Promise.allSettled([
      sut.ping(),
      sut.query({ kind: 'Item', limit: 1 }),
      sut.upsert([{ key: { kind: 'Item', name: 'a' }, data: {} }]),
      sut.runInTransaction((tx) => tx.get([{ kind: 'Item', name: 'a' }])),
    ]);

    for (const result of results) {
      expect(result).toEqual({ status: 'rejected', reason: expect.any(StoreUnavailableError) });
    }
    await sut.close();
  });
});
