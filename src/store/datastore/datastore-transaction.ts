import type { AdapterTransaction } from '../store.js';
import type { Mutation } from '../store.types.js';
import type { Entity, Key } from '../store.types.js';
import type { DatastoreConnection, TransactionId } from './datastore-connection.js';

/** One attempt of a read-write transaction; it begins on the server with its first read, in the same round trip. */
export class DatastoreTransaction implements AdapterTransaction {
  private id?: Promise<TransactionId>;

  constructor(private readonly connection: DatastoreConnection) {}

  async get(keys: readonly Key[]): Promise<(Entity | undefined)[]> {
    if (this.id) {
      return (await this.connection.lookup(keys, { transaction: await this.id })).entities;
    }
    const first = this.connection.lookup(keys, { newTransaction: { readWrite: {} } });
    this.id = first.then(
      ({ transaction }) => transaction ?? Promise.reject(new Error('Datastore began no transaction')),
    );
    // Reads issued meanwhile wait on `id`; a failure reaches the caller through `first`.
    this.id.catch(() => undefined);
    return (await first).entities;
  }

  async commit(mutations: readonly Mutation[]): Promise<void> {
    if (this.id) {
      await this.connection.commit(mutations, await this.id);
    } else if (mutations.length > 0) {
      // Nothing was read, so nothing can be stale: an atomic commit without beginning a transaction first.
      await this.connection.commit(mutations);
    }
  }

  async rollback(): Promise<void> {
    if (this.id) {
      await this.connection.rollback(await this.id);
    }
  }
}
