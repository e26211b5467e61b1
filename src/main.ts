import 'reflect-metadata';
import type { Server } from 'node:http';
import { setTimeout as setTimeoutPromise } from 'node:timers/promises';
import { createApp } from './app.setup.js';
import { JsonLogger } from './common/logging/json-logger.js';
import { ConfigError, loadConfig } from './config/app-config.js';
import { HealthService } from './health/health.service.js';
import { StoreUnavailableError } from './store/store.errors.js';

/** How long a draining instance keeps its listener open to answer newcomers with 503 before closing it. */
const DRAIN_MS = 500;

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const app = await createApp(config);
  const logger = app.get(JsonLogger);
  const server: Server = app.getHttpServer();
  // Installed before listening: a SIGTERM that arrives first must not kill the process mid-write.
  process.once('SIGTERM', () => {
    logger.log('SIGTERM: refusing new requests, finishing in-flight ones');
    // New requests get 503 + Retry-After + Connection: close, so keep-alive clients learn of the shutdown
    // from an answer. Closing their idle sockets at once would race with a request already on its way.
    app.get(HealthService).startDraining();
    const deadline = setTimeout(() => server.closeAllConnections(), config.shutdownGraceMs);
    void setTimeoutPromise(Math.min(DRAIN_MS, config.shutdownGraceMs))
      .then(() => app.close())
      .finally(() => {
        clearTimeout(deadline);
        logger.log('stopped');
      });
  });
  await app.listen(config.port);
  logger.log(`picfeed listening on port ${config.port} with the ${config.store} store`);
}

main().catch((error: unknown) => {
  const known = error instanceof ConfigError || error instanceof StoreUnavailableError;
  const text = known ? error.message : error instanceof Error ? error.stack : String(error);
  process.stderr.write(`picfeed: ${text}\n`);
  process.exit(1);
});
