import { ValidateIf, type ValidationOptions } from 'class-validator';

/**
 * An optional field: skipped when absent, but checked like any other value when present, so `null` is refused
 * (class-validator's `@IsOptional()` lets `null` through to the service unchecked).
 */
export function IsOptionalNotNull(options?: ValidationOptions): PropertyDecorator {
  return ValidateIf((_object, value) => value !== undefined, options);
}
