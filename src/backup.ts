import { resolve } from 'node:path';
import { loadConfig } from './config/app-config.js';
import { backupStore, restoreStore } from './store/embedded/backup.js';

/** `npm run backup -- FILE` and `npm run restore -- FILE`: the embedded store of DATA_DIR. */
function run(command: string | undefined, file: string | undefined): string {
  const { dataDir } = loadConfig(process.env);
  if (!file || (command !== 'backup' && command !== 'restore')) {
    throw new Error('usage: npm run backup -- FILE | npm run restore -- FILE');
  }
  const target = resolve(file);
  if (command === 'backup') {
    backupStore(dataDir, target);
    return `backed up the embedded store of ${dataDir} to ${target}`;
  }
  const aside = restoreStore(dataDir, target);
  return `restored ${target} into ${dataDir}${aside ? `; the database it replaced is kept as ${aside}` : ''}`;
}

try {
  process.stdout.write(`${run(process.argv[2], process.argv[3])}\n`);
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
