// Process-level e2e tests run the built server, so build it once when dist/ is stale.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export default function setup() {
  const root = fileURLToPath(new URL('..', import.meta.url));
  execFileSync(`${root}node_modules/.bin/node`, ['scripts/build-if-needed.mjs'], { cwd: root, stdio: 'inherit' });
}
