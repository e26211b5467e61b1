import { Datastore, v1 } from '@google-cloud/datastore';
import { Store, type AdapterTransaction } from '../store.js';
import type { Mutation } from '../store.types.js';
import type { Entity, Key, Query, QueryResult } from '../store.types.js';
import { DatastoreConnection } from './datastore-connection.js';
import { DatastoreTransaction } from './datastore-transaction.js';

export interface DatastoreStoreOptions {
  readonly projectId: string;
  readonly namespace?: string;
  /** host:port of an emulator; Cloud Datastore when absent. */
  readonly apiEndpoint?: string;
  /** Deadline of each store call, retries included. */
  readonly timeoutMs?: number;
}

const PROBE_KEY: Key = { kind: 'PicfeedProbe', name: 'probe' };

/** The Store port on Cloud Datastore (Firestore in Datastore mode) or its emulator. */
export class DatastoreStore extends Store {
  private readonly connection: DatastoreConnection;

  constructor({ projectId, namespace, apiEndpoint, timeoutMs = 10_000 }: DatastoreStoreOptions) {
    super();
    // The handwritten client resolves the endpoint (an insecure channel for a local emulator); its generated v1
    // client, built from the same options, gives direct control of each request.
    const { options } = new Datastore({ projectId, apiEndpoint });
    this.connection = new DatastoreConnection(new v1.DatastoreClient({ ...options }), projectId, namespace, timeoutMs);
  }

  protected async lookup(keys: readonly Key[]): Promise<(Entity | undefined)[]> {
    return (await this.connection.lookup(keys)).entities;
  }

  protected commit(mutations: readonly Mutation[]): Promise<void> {
    return this.connection.commit(mutations);
  }

  protected runQuery(query: Query): Promise<QueryResult> {
    return this.connection.runQuery(query);
  }

  protected beginTransaction(): Promise<AdapterTransaction> {
    return Promise.resolve(new DatastoreTransaction(this.connection));
  }

  protected async probe(): Promise<void> {
    await this.connection.lookup([PROBE_KEY]);
  }

  close(): Promise<void> {
    return this.connection.close();
  }
}
