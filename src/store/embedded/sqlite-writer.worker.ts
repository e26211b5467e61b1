import { parentPort, workerData } from 'node:worker_threads';
import type { CompositeIndex } from '../index-definitions.js';
import { isDamage, openDatabase } from './sqlite-database.js';
import { type CommitRequest, SqliteWriter } from './sqlite-writer.js';

/** The embedded store's writer thread: commits, with their syncs, happen here, beside the event loop. */
const { path, fsync, definitions } = workerData as { path: string; fsync: boolean; definitions: CompositeIndex[] };
const port = parentPort;
if (!port) {
  throw new Error('the embedded store writer runs as a worker thread');
}
const db = openDatabase(path, fsync);
const writer = new SqliteWriter(db, path, definitions);

port.on('message', (message: { id: number; group: CommitRequest[] } | { close: true }) => {
  if ('close' in message) {
    db.close();
    port.postMessage({ closed: true });
    port.close();
    return;
  }
  try {
    port.postMessage({ id: message.id, outcomes: writer.commit(message.group) });
  } catch (error) {
    port.postMessage({
      id: message.id,
      failure: { message: error instanceof Error ? error.message : String(error), damage: isDamage(error) },
    });
  }
});
port.postMessage({ ready: true });
