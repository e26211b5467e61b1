import type { DatastoreClient } from '@google-cloud/datastore';
import type { google } from '@google-cloud/datastore/build/src/protos.js';
import { EntityExistsError, InvalidCursorError, MissingIndexError } from '../store.errors.js';
import type { Mutation } from '../store.types.js';
import type { Entity, Key, Query, QueryResult } from '../store.types.js';
import { fromEntityProto, keyId, toEntityProto, toKeyProto, type PartitionId } from './datastore.codec.js';
import { GrpcStatus, rpcCode, rpcDetails, translateError } from './datastore.errors.js';
import { suggestIndex } from '../index-definitions.js';
import { decodeCursor, encodeCursor, toQueryProto } from './datastore.query.js';

type ReadOptions = google.datastore.v1.IReadOptions;
type MutationProto = google.datastore.v1.IMutation;
type CommitMode = Pick<google.datastore.v1.ICommitRequest, 'mode' | 'transaction' | 'singleUseTransaction'>;
type Bytes = Uint8Array | string;
export type TransactionId = Bytes;

export interface LookupResult {
  readonly entities: (Entity | undefined)[];
  /** Set when the lookup began a transaction. */
  readonly transaction?: TransactionId;
}

/** The Datastore v1 calls the adapter makes, each bounded by one deadline and translated into store errors. */
export class DatastoreConnection {
  private readonly partitionId: PartitionId;

  constructor(
    private readonly client: DatastoreClient,
    private readonly projectId: string,
    namespace: string | undefined,
    private readonly timeoutMs: number,
  ) {
    this.partitionId = { projectId, namespaceId: namespace ?? '' };
  }

  async lookup(keys: readonly Key[], readOptions?: ReadOptions): Promise<LookupResult> {
    const deadline = this.deadline();
    const ids = keys.map((key) => keyId(toKeyProto(key, this.partitionId)));
    const found = new Map<string, Entity>();
    let pending = [...new Map(keys.map((key, i) => [ids[i], toKeyProto(key, this.partitionId)])).values()];
    let transaction: TransactionId | undefined;
    try {
      // Datastore may defer some keys of a large lookup to a later call.
      while (pending.length > 0) {
        const [response] = await this.client.lookup(
          { projectId: this.projectId, keys: pending, readOptions: transaction ? { transaction } : readOptions },
          this.callOptions(deadline),
        );
        if (!transaction && response.transaction && response.transaction.length > 0) {
          transaction = response.transaction;
        }
        for (const { entity } of response.found ?? []) {
          if (entity) {
            found.set(keyId(entity.key ?? {}), fromEntityProto(entity));
          }
        }
        pending = response.deferred ?? [];
      }
    } catch (error) {
      throw translateError(error);
    }
    return { entities: ids.map((id) => found.get(id)), transaction };
  }

  /** All or nothing: one insert of a taken key fails the whole commit with EntityExistsError. */
  async commit(mutations: readonly Mutation[], transaction?: TransactionId): Promise<void> {
    try {
      await this.client.commit(
        {
          projectId: this.projectId,
          ...atomically(mutations.length, transaction),
          mutations: mutations.map((mutation) => this.toMutationProto(mutation)),
        },
        this.callOptions(this.deadline()),
      );
    } catch (error) {
      if (rpcCode(error) === GrpcStatus.ALREADY_EXISTS) {
        throw new EntityExistsError(await this.findExistingInsert(mutations));
      }
      throw translateError(error);
    }
  }

  async runQuery(query: Query): Promise<QueryResult> {
    const deadline = this.deadline();
    const base = toQueryProto(query, this.partitionId);
    const entities: Entity[] = [];
    let cursor: Bytes | undefined = query.startCursor === undefined ? undefined : decodeCursor(query.startCursor);
    let moreResults: unknown;
    try {
      // A batch may stop short of the limit (NOT_FINISHED); the next one resumes from its end cursor.
      do {
        const [response] = await this.client.runQuery(
          {
            projectId: this.projectId,
            partitionId: this.partitionId,
            query: { ...base, limit: { value: query.limit - entities.length }, startCursor: cursor },
          },
          this.callOptions(deadline),
        );
        const batch: google.datastore.v1.IQueryResultBatch = response.batch ?? {};
        entities.push(...(batch.entityResults ?? []).map(({ entity }) => fromEntityProto(entity ?? {})));
        cursor = batch.endCursor ?? cursor;
        moreResults = batch.moreResults;
      } while (moreResults === 'NOT_FINISHED' && entities.length < query.limit);
    } catch (error) {
      throw this.translateQueryError(error, query);
    }
    return {
      entities,
      endCursor: entities.length > 0 && cursor ? encodeCursor(cursor) : undefined,
      // The emulator answers MORE_RESULTS_AFTER_LIMIT even when it ran out before the limit: trust the count.
      moreResults: entities.length >= query.limit && moreResults !== 'NO_MORE_RESULTS',
    };
  }

  async rollback(transaction: TransactionId): Promise<void> {
    try {
      await this.client.rollback({ projectId: this.projectId, transaction }, this.callOptions(this.deadline()));
    } catch (error) {
      throw translateError(error);
    }
  }

  close(): Promise<void> {
    return this.client.close();
  }

  private toMutationProto(mutation: Mutation): MutationProto {
    return mutation.op === 'delete'
      ? { delete: toKeyProto(mutation.key, this.partitionId) }
      : { [mutation.op]: toEntityProto(mutation.entity, this.partitionId) };
  }

  /** Datastore does not say which insert found its key taken: with several, ask. */
  private async findExistingInsert(mutations: readonly Mutation[]): Promise<Key> {
    const keys = mutations.flatMap((mutation) => (mutation.op === 'insert' ? [mutation.entity.key] : []));
    if (keys.length > 1) {
      const { entities } = await this.lookup(keys).catch(() => ({ entities: [] }));
      return entities.find((entity) => entity !== undefined)?.key ?? keys[0];
    }
    return keys[0];
  }

  private translateQueryError(error: unknown, query: Query): unknown {
    const code = rpcCode(error);
    const details = rpcDetails(error);
    if (code === GrpcStatus.FAILED_PRECONDITION && /index/i.test(details)) {
      const suggestion = /recommended index/i.test(details) ? '' : `\nrecommended index is:\n${suggestIndex(query)}`;
      return new MissingIndexError(`${details}${suggestion}`);
    }
    if (code === GrpcStatus.INVALID_ARGUMENT && query.startCursor !== undefined) {
      return new InvalidCursorError();
    }
    return translateError(error);
  }

  private deadline(): number {
    return Date.now() + this.timeoutMs;
  }

  private callOptions(deadline: number): { timeout: number } {
    return { timeout: Math.max(1, deadline - Date.now()) };
  }
}

/**
 * In the given transaction, else in a single-use one when there are several mutations: a non-transactional
 * commit may apply some of them and not the others. Within a transaction they apply in order.
 */
function atomically(mutations: number, transaction?: TransactionId): CommitMode {
  if (transaction) {
    return { mode: 'TRANSACTIONAL', transaction };
  }
  return mutations > 1
    ? { mode: 'TRANSACTIONAL', singleUseTransaction: { readWrite: {} } }
    : { mode: 'NON_TRANSACTIONAL' };
}
