import { type ArgumentMetadata, Injectable, type ValidationError, ValidationPipe } from '@nestjs/common';
import { DomainError, ErrorCode, type FieldError } from '../common/errors.js';

/**
 * The one ValidationPipe, with two changes. A DTO instance has an own property for every declared field (class
 * fields are defined even when unset), so the fields a request did not send are removed again: a handler sees
 * exactly what was sent, and a partial update cannot overwrite what it left out. And a failure is a domain error
 * naming each field, which the problem filter answers as `errors[]`.
 */
@Injectable()
export class RequestValidationPipe extends ValidationPipe {
  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      exceptionFactory: (errors) => {
        const fields = fieldErrors(errors);
        return new DomainError(ErrorCode.ValidationFailed, fields.map((error) => error.message).join('; '), {
          errors: fields,
        });
      },
    });
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

/** Every failed constraint of every field, nested ones under their dotted path (`media.0.altText`). */
export function fieldErrors(errors: readonly ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...fieldErrors(error.children ?? [], field)];
  });
}
