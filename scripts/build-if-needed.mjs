// `npm start` on a fresh clone: build once when dist/ is missing or older than any source file.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** @param {string} dir @returns {number} */
function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

const built = 'dist/main.js';
const stale =
  !existsSync(built) || statSync(built).mtimeMs < Math.max(newest('src'), statSync('package-lock.json').mtimeMs);
if (stale) {
  process.stdout.write('building picfeed (dist/ is missing or older than src/)...\n');
  execFileSync('npm', ['run', 'build'], { stdio: 'inherit' });
}
