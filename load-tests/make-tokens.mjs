// Writes a tokens file for the k6 and siege scripts and `npm run bench -- --target`, from an API whose dev issuer is
// on: node load-tests/make-tokens.mjs http://127.0.0.1:8080 tokens.json [users=200] [followees=0]
import { writeFileSync } from 'node:fs';
import { pool } from '../test/support/pool.ts';
import { call, publish, seedUsers } from './lib/api.mjs';

const [api, file, users = '200', followees = '0'] = process.argv.slice(2);
if (!api || !file) {
  process.stderr.write('usage: node load-tests/make-tokens.mjs API_URL OUT_FILE [users=200] [followees=0]\n');
  process.exit(2);
}
const prefix = `tokens-${Date.now()}-`;
const seeded = await seedUsers(api, prefix, Number(users));
const [reader] = seeded;
const authors = await seedUsers(api, `${prefix}author-`, Number(followees));
await pool(authors, 16, async (author) => {
  await call(`${api}/v1/users/${author.id}/follow`, 'PUT', reader.token);
  await publish(api, author);
});
const postId = await publish(api, reader);
writeFileSync(file, `${JSON.stringify({ baseUrl: api, postId, users: seeded }, null, 2)}\n`);
process.stdout.write(`${file}: ${seeded.length} users, post ${postId}, reader follows ${authors.length}\n`);
