import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import { AppModule } from './app.module.js';
import { JsonLogger } from './common/logging/json-logger.js';
import type { AppConfig } from './config/app-config.js';
import { HealthService } from './health/health.service.js';
import {
  applyServerTimeouts,
  bodyDeadline,
  refuseWhileDraining,
  requireJsonBodies,
  securityHeaders,
} from './http/http-hardening.js';
import { checkJsonBody } from './http/json-body.middleware.js';
import { ProblemFilter } from './http/problem.filter.js';
import { webApp } from './http/web-app.js';
import { requestContextMiddleware } from './http/request-context.middleware.js';
import { buildOpenApiDocument } from './openapi/openapi.document.js';

export const JSON_BODY_LIMIT = '64kb';

/** Builds the whole app as main runs it; e2e tests and the OpenAPI writer use the same function. */
export async function createApp(config: AppConfig, writeLog?: (line: string) => void): Promise<NestExpressApplication> {
  const logger = new JsonLogger(config.logLevel, config.googleCloudProject, writeLog);
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, logger), {
    logger,
    bodyParser: false,
    // The JSON body's text is kept (it is at most 64 kB) for the duplicate-key check.
    rawBody: true,
    // A failed start-up (bad data directory, unreachable store) reaches main, which prints one line.
    abortOnError: false,
  });
  app.disable('x-powered-by');
  applyServerTimeouts(app.getHttpServer(), {
    headersMs: config.httpHeadersTimeoutMs,
    requestMs: config.httpRequestTimeoutMs,
    keepAliveMs: config.httpKeepAliveTimeoutMs,
  });
  app.set('trust proxy', true);
  app.use(requestContextMiddleware(logger));
  app.use(securityHeaders());
  const health = app.get(HealthService);
  app.use(refuseWhileDraining(() => health.isDraining));
  const web = webApp(config);
  if (web) {
    app.use(web);
  }
  app.enableCors({
    // Only the configured web origins; none configured means no cross-origin access at all.
    origin: config.corsOrigins.length > 0 ? [...config.corsOrigins] : false,
    methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: [
      'Authorization',
      'Content-Type',
      'X-Request-Id',
      'x-goog-content-length-range',
      'x-goog-if-generation-match',
    ],
    exposedHeaders: [
      'X-Request-Id',
      'Retry-After',
      'Server-Timing',
      'RateLimit-Limit',
      'RateLimit-Remaining',
      'RateLimit-Reset',
    ],
    maxAge: 3600,
  });
  // The body's type before it is parsed, its shape after: what reaches the ValidationPipe is a plain object.
  const errors = app.get(ProblemFilter);
  app.use(bodyDeadline(config.httpBodyTimeoutMs, (error, res) => errors.answer(error, res)));
  app.use(requireJsonBodies);
  // The same types requireJsonBodies lets through: a `+json` body is parsed, never ignored.
  app.useBodyParser('json', { limit: JSON_BODY_LIMIT, type: ['application/json', 'application/*+json'] });
  app.use(checkJsonBody);
  SwaggerModule.setup('docs', app, () => buildOpenApiDocument(app), { jsonDocumentUrl: 'docs-json' });
  return app;
}
