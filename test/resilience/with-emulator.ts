import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { banner } from '../contract/contract-run.js';
import { findEmulator, startEmulator, type Emulator } from '../contract/emulator.js';
import { REPO_ROOT, spawnServer, type ServerProcess, UNLIMITED_RATES } from '../support/server-process.js';

/**
 * `describe` for the suites that need the Datastore emulator: without one they are skipped, loudly, except
 * under CI=true, where they run and fail.
 */
export function describeWithEmulator(name: string, suite: () => void): void {
  if (findEmulator() !== undefined || process.env.CI === 'true') {
    describe(name, suite);
    return;
  }
  console.warn(banner(`DATASTORE EMULATOR MISSING: "${name}" is skipped (install the cloud-datastore-emulator)`));
  describe.skip(name, suite);
}

/**
 * An emulator for one resilience file and API servers on it. The servers share one DATA_DIR, which holds the dev
 * issuer's key, so a token minted by one signs in on all. Everything is stopped and removed after the file.
 */
export function datastoreServers(name: string): {
  emulator(): Emulator;
  spawn(extraEnv?: Record<string, string>): Promise<ServerProcess>;
} {
  const started: ServerProcess[] = [];
  let state: { emulator: Emulator; dataDir: string } | undefined;
  const current = (): { emulator: Emulator; dataDir: string } => {
    if (!state) {
      throw new Error('the emulator runs only inside a test');
    }
    return state;
  };

  beforeAll(async () => {
    const dataDir = mkdtempSync(join(tmpdir(), `picfeed-${name}-`));
    state = { dataDir, emulator: await startEmulator({ rootDir: REPO_ROOT }) };
  });

  afterAll(async () => {
    started.forEach((server) => server.child.kill('SIGKILL'));
    await state?.emulator.stop();
    if (state) {
      rmSync(state.dataDir, { recursive: true, force: true });
    }
  });

  return {
    emulator: () => current().emulator,
    spawn: async (extraEnv = {}) => {
      const { emulator, dataDir } = current();
      const server = await spawnServer({
        STORE: 'datastore',
        DATASTORE_EMULATOR_HOST: emulator.host,
        DEV_SIGN_IN: 'true',
        DEV_SIGN_IN_FORCE: 'true',
        DATA_DIR: dataDir,
        ...UNLIMITED_RATES,
        ...extraEnv,
      });
      started.push(server);
      return server;
    },
  };
}
