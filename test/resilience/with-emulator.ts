import { banner } from '../contract/contract-run.js';
import { findEmulator } from '../contract/emulator.js';

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
