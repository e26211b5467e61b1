// `npm start` on a fresh clone: build the server and the web app when their output is missing or older than
// any of their sources (or the lock file).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** @param {string} path @returns {number} */
function newest(path) {
  if (!statSync(path).isDirectory()) {
    return statSync(path).mtimeMs;
  }
  let latest = 0;
  for (const entry of readdirSync(path)) {
    latest = Math.max(latest, newest(join(path, entry)));
  }
  return latest;
}

/** @param {string} output @param {string[]} sources */
function stale(output, sources) {
  return !existsSync(output) || statSync(output).mtimeMs < Math.max(...sources.map(newest));
}

const lock = 'package-lock.json';
if (stale('dist/main.js', ['src', lock])) {
  process.stdout.write('building the picfeed server (dist/ is missing or older than src/)...\n');
  execFileSync('npm', ['run', 'build:server'], { stdio: 'inherit' });
}
if (stale('web/dist/index.html', ['web/src', 'web/public', 'web/index.html', 'web/vite.config.ts', lock])) {
  process.stdout.write('building the web app (web/dist/ is missing or older than web/src/)...\n');
  execFileSync('npm', ['run', 'build:web'], { stdio: 'inherit' });
}
