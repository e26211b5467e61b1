import { randomBytes } from 'node:crypto';
import { ConfigError } from '../config/app-config.js';
import { EntityExistsError } from '../store/store.errors.js';
import type { Store } from '../store/store.js';
import type { Key } from '../store/store.types.js';

/** Service secrets that every instance must share (cursor signatures), kept in the store itself. */
const SECRET = 'Secret';
const KEY_BYTES = 32;

/** The named signing key, created on the first start: every instance on the same store reads the same one. */
export async function loadSigningKey(store: Store, name: string): Promise<Buffer> {
  const key: Key = { kind: SECRET, name };
  const read = async (): Promise<Buffer | undefined> => {
    const [found] = await store.get<{ value: string }>([key]);
    return found && decodeKey(found.data.value, name);
  };
  const existing = await read();
  if (existing) {
    return existing;
  }
  const value = randomBytes(KEY_BYTES).toString('base64');
  try {
    await store.insert([{ key, data: { value }, excludeFromIndexes: ['value'] }]);
    return Buffer.from(value, 'base64');
  } catch (error) {
    // Another instance created it first: use theirs.
    const winner = error instanceof EntityExistsError ? await read() : undefined;
    if (!winner) {
      throw error;
    }
    return winner;
  }
}

function decodeKey(value: unknown, name: string): Buffer {
  const bytes = typeof value === 'string' ? Buffer.from(value, 'base64') : Buffer.alloc(0);
  if (bytes.length < KEY_BYTES) {
    throw new ConfigError(
      `the stored signing key ${SECRET}/${name} is damaged (${bytes.length} bytes, needs ${KEY_BYTES}); delete the entity to make a new one`,
    );
  }
  return bytes;
}
