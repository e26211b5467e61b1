import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiNotFoundResponse, ApiTags } from '@nestjs/swagger';
import { DevIssuer } from './dev-issuer.js';
import { DevTokenRequest, DevTokenResponse } from './dto/dev-token.dto.js';
import { Public } from '../common/public.decorator.js';

/** Registered only when the dev issuer is on (local runs and load tests): otherwise the route does not exist. */
@ApiTags('auth')
@Controller('v1/auth')
export class AuthController {
  constructor(private readonly devIssuer: DevIssuer) {}

  /** Dev issuer only: a signed ID token for any email. 404 when the dev issuer is off. */
  @Public()
  @Post('dev-token')
  @HttpCode(200)
  @ApiNotFoundResponse({ description: 'the dev issuer is off: the route does not exist' })
  createDevToken(@Body() body: DevTokenRequest): DevTokenResponse {
    return this.devIssuer.mint(body.email, body.name);
  }
}
