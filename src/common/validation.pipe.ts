import { type ArgumentMetadata, Injectable, ValidationPipe } from '@nestjs/common';

/**
 * The one ValidationPipe, with one change: a DTO instance has an own property for every declared field (class
 * fields are defined even when unset), so the fields a request did not send are removed again. A handler sees
 * exactly what was sent, and a partial update cannot overwrite what it left out.
 */
@Injectable()
export class RequestValidationPipe extends ValidationPipe {
  constructor() {
    super({ whitelist: true, forbidNonWhitelisted: true, transform: true });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const result: unknown = await super.transform(value, metadata);
    if (metadata.type === 'body' && typeof result === 'object' && result !== null) {
      for (const [key, field] of Object.entries(result)) {
        if (field === undefined) {
          delete (result as Record<string, unknown>)[key];
        }
      }
    }
    return result;
  }
}
