import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, spawnServer, type ServerProcess, UNLIMITED_RATES } from '../support/server-process.js';

/**
 * The embedded-store server of one resilience file: one data folder and port for the whole file, so that `start()`
 * after a kill or a stop brings the same store back. Every process it started is killed after the file, and the
 * folder removed.
 */
export function embeddedServer(name: string): { start(): Promise<ServerProcess> } {
  const started: ServerProcess[] = [];
  let dataDir: string | undefined;
  let env: Record<string, string> | undefined;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), `picfeed-${name}-`));
    env = { STORE: 'embedded', DATA_DIR: dataDir, PORT: String(await freePort()), ...UNLIMITED_RATES };
  });

  afterAll(() => {
    started.forEach((server) => server.child.kill('SIGKILL'));
    if (dataDir) {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  return {
    start: async () => {
      if (!env) {
        throw new Error('the embedded server starts only inside a test');
      }
      const server = await spawnServer(env);
      started.push(server);
      return server;
    },
  };
}
