import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('picfeed API')
    .setDescription(
      'Photo-sharing social API: Google sign-in, signed uploads, follows, likes and a newest-first timeline. ' +
        'Errors are `{statusCode, error, message}`; pages are `{items, nextCursor}`.',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'Google ID token (JWT)' })
    .build();
  return SwaggerModule.createDocument(app, config);
}

/** Stable text for the committed openapi/openapi.json, so a drift shows as a diff. */
export function serializeOpenApiDocument(document: OpenAPIObject): string {
  return JSON.stringify(document, null, 2) + '\n';
}
