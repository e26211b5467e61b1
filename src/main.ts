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
  let stopping = false;
  const stop = (exitCode: number): void => {
    if (stopping) {
      return;
    }
    stopping = true;
    process.exitCode = exitCode;
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
  };
  // Installed before listening: a SIGTERM that arrives first must not kill the process mid-write.
  process.once('SIGTERM', () => {
    logger.log('SIGTERM: refusing new requests, finishing in-flight ones');
    stop(0);
  });
  // A rejection nobody awaited is a bug, never a reason to drop every other request: it is logged loudly, with the
  // request it belongs to (the handler runs in the promise's async context), and the process goes on.
  process.on('unhandledRejection', (reason) => {
    logger.entry('CRITICAL', `unhandled promise rejection: ${describe(reason)}`, { stack_trace: stackOf(reason) });
  });
  // A thrown exception nobody caught leaves state unknown: answer what is in flight, then exit for a clean restart.
  process.on('uncaughtException', (error) => {
    logger.entry('CRITICAL', `uncaught exception, stopping: ${describe(error)}`, { stack_trace: stackOf(error) });
    stop(1);
  });
  await app.listen(config.port);
  logger.log(`picfeed listening on port ${config.port} with the ${config.store} store`);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function stackOf(error: unknown): string | undefined {
  return error instanceof Error ? error.stack : undefined;
}

main().catch((error: unknown) => {
  const known = error instanceof ConfigError || error instanceof StoreUnavailableError;
  const text = known ? error.message : error instanceof Error ? error.stack : String(error);
  process.stderr.write(`picfeed: ${text}\n`);
  process.exit(1);
});
