import 'reflect-metadata';
import type { Server } from 'node:http';
import { createApp } from './app.setup.js';
import { JsonLogger } from './common/logging/json-logger.js';
import { ConfigError, loadConfig } from './config/app-config.js';
import { HealthService } from './health/health.service.js';
import { StoreUnavailableError } from './store/store.errors.js';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const app = await createApp(config);
  const logger = app.get(JsonLogger);
  const server: Server = app.getHttpServer();
  // Installed before listening: a SIGTERM that arrives first must not kill the process mid-write.
  process.once('SIGTERM', () => {
    logger.log('SIGTERM: finishing in-flight requests');
    app.get(HealthService).startDraining();
    const idle = setInterval(() => server.closeIdleConnections(), 100);
    const deadline = setTimeout(() => server.closeAllConnections(), config.shutdownGraceMs);
    void app.close().finally(() => {
      clearInterval(idle);
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
