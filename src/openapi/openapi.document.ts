import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('picfeed API')
    .setDescription(
      'Photo-sharing social API: Google sign-in, signed uploads, follows, likes and a newest-first timeline. ' +
        'Errors are `{statusCode, error, message}`; pages are `{items, nextCursor}`. Every operation but health is ' +
        'rate-limited per user (per address on open routes): 429 with Retry-After and RateLimit-* headers.',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'Google ID token (JWT)' })
    .build();
  return withRateLimitAnswers(SwaggerModule.createDocument(app, config));
}

const RATE_LIMIT_HEADERS = {
  'Retry-After': { description: 'Seconds until a retry may succeed', schema: { type: 'integer' } },
  'RateLimit-Limit': { description: 'Requests of this kind allowed a minute', schema: { type: 'integer' } },
  'RateLimit-Remaining': { description: 'Requests left now', schema: { type: 'integer' } },
  'RateLimit-Reset': { description: 'Seconds until the allowance is whole again', schema: { type: 'integer' } },
};

/** Every rate-limited operation (all but health) can answer 429; the document says so once for all of them. */
function withRateLimitAnswers(document: OpenAPIObject): OpenAPIObject {
  for (const [path, item] of Object.entries(document.paths)) {
    if (['/healthz', '/readyz', '/_ah/warmup'].includes(path)) {
      continue;
    }
    for (const operation of [item.get, item.put, item.post, item.patch, item.delete]) {
      if (operation) {
        operation.responses['429'] = {
          description: 'too many requests from this user (or address): wait Retry-After seconds',
          headers: RATE_LIMIT_HEADERS,
        };
      }
    }
  }
  return document;
}

/** Stable text for the committed openapi/openapi.json, so a drift shows as a diff. */
export function serializeOpenApiDocument(document: OpenAPIObject): string {
  return JSON.stringify(document, null, 2) + '\n';
}
