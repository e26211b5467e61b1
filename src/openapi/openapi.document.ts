import type { INestApplication } from '@nestjs/common';
import {
  DocumentBuilder,
  type OpenAPIObject,
  type OperationObject,
  type ResponsesObject,
  SwaggerModule,
} from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE, ProblemDetails, ProblemFieldError } from '../http/problem.js';

const HEALTH_PATHS = ['/healthz', '/readyz', '/_ah/warmup'];

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('picfeed API')
    .setDescription(
      'Photo-sharing social API: Google sign-in, signed uploads, follows, likes and a newest-first timeline. ' +
        'Every error is RFC 9457 problem details (`application/problem+json`, schema ProblemDetails) whose `code` ' +
        'a client branches on; pages are `{items, nextCursor}`. Every operation but health is rate-limited per ' +
        'user (per address on open routes): 429 with Retry-After and RateLimit-* headers.',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'Google ID token (JWT)' })
    .build();
  const document = SwaggerModule.createDocument(app, config, {
    // The handler's name is the operation id (`likePost`), so a generated client reads naturally.
    operationIdFactory: (_controller: string, method: string) => method,
    extraModels: [ProblemDetails, ProblemFieldError],
  });
  return withProblemAnswers(document);
}

const RATE_LIMIT_HEADERS = {
  'Retry-After': { description: 'Seconds until a retry may succeed', schema: { type: 'integer' } },
  'RateLimit-Limit': { description: 'Requests of this kind allowed a minute', schema: { type: 'integer' } },
  'RateLimit-Remaining': { description: 'Requests left now', schema: { type: 'integer' } },
  'RateLimit-Reset': { description: 'Seconds until the allowance is whole again', schema: { type: 'integer' } },
};

const RETRY_AFTER = { 'Retry-After': RATE_LIMIT_HEADERS['Retry-After'] };

const PROBLEM_CONTENT = {
  [PROBLEM_CONTENT_TYPE]: { schema: { $ref: `#/components/schemas/${ProblemDetails.name}` } },
};

/**
 * The answers every operation can give besides its own, said once for all of them, and the problem-details schema
 * on every error answer: 400 where it takes input, 408, 413 and 415 where it takes a body, 401 where it needs a
 * token, 429 where it is rate-limited, and 500 and 503 everywhere.
 */
function withProblemAnswers(document: OpenAPIObject): OpenAPIObject {
  for (const [path, item] of Object.entries(document.paths)) {
    for (const operation of [item.get, item.put, item.post, item.patch, item.delete]) {
      if (operation) {
        addShared(operation, !HEALTH_PATHS.includes(path));
        for (const [status, response] of Object.entries(operation.responses)) {
          if (Number(status) >= 400 && response !== undefined && !('$ref' in response)) {
            response.content = PROBLEM_CONTENT;
          }
        }
      }
    }
  }
  return document;
}

function addShared(operation: OperationObject, rateLimited: boolean): void {
  const responses: ResponsesObject = operation.responses;
  const takesInput = (operation.parameters?.length ?? 0) > 0 || operation.requestBody !== undefined;
  if (takesInput) {
    responses['400'] ??= { description: 'the request is malformed or a field is invalid (see `errors`)' };
  }
  if (operation.requestBody !== undefined) {
    responses['408'] ??= { description: 'the body did not arrive in time' };
    responses['413'] ??= { description: 'the body is over 64 kB' };
    responses['415'] ??= { description: 'the body is not UTF-8 JSON' };
  }
  if (operation.security?.some((requirement: Record<string, unknown>) => 'bearer' in requirement)) {
    responses['401'] ??= { description: 'missing, expired or invalid ID token' };
  }
  if (rateLimited) {
    responses['429'] = {
      description: 'too many requests from this user (or address): wait Retry-After seconds',
      headers: RATE_LIMIT_HEADERS,
    };
  }
  responses['500'] ??= { description: 'an unexpected error, logged with the request id' };
  responses['503'] ??= {
    description:
      'storage unavailable, too many concurrent writes or the instance is shutting down: retry after Retry-After',
    headers: RETRY_AFTER,
  };
}

/** Stable text for the committed openapi/openapi.json, so a drift shows as a diff. */
export function serializeOpenApiDocument(document: OpenAPIObject): string {
  return JSON.stringify(document, null, 2) + '\n';
}
