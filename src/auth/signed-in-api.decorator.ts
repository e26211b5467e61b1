import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';

/** A controller whose every route needs the caller's ID token, as the OpenAPI document says it. */
export const SignedInApi = (tag: string): ClassDecorator =>
  applyDecorators(
    ApiTags(tag),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ description: 'missing, expired or invalid ID token' }),
  );
