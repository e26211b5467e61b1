import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { createApp } from './app.setup.js';
import { loadConfig } from './config/app-config.js';
import { buildOpenApiDocument, serializeOpenApiDocument } from './openapi/openapi.document.js';

/** `npm run openapi`: writes the OpenAPI document of the built app (in-memory store, nothing listens). */
async function writeOpenApi(target: string): Promise<void> {
  const app = await createApp(loadConfig({ STORE: 'memory', LOG_LEVEL: 'error' }));
  await app.init();
  const path = resolve(target);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, serializeOpenApiDocument(buildOpenApiDocument(app)));
  await app.close();
  process.stdout.write(`wrote ${path}\n`);
}

writeOpenApi(process.argv[2] ?? 'openapi/openapi.json').catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
