import { Body, Controller, HttpCode, Inject, NotFoundException, Post } from '@nestjs/common';
import { ApiNotFoundResponse, ApiTags } from '@nestjs/swagger';
import { DevIssuer } from './dev-issuer.js';
import { DevTokenRequest, DevTokenResponse } from './dto/dev-token.dto.js';
import { Public } from './public.decorator.js';

@ApiTags('auth')
@Controller('v1/auth')
export class AuthController {
  constructor(@Inject(DevIssuer) private readonly devIssuer: DevIssuer | null) {}

  /** Dev issuer only (local runs and load tests): a signed ID token for any email. 404 when it is off. */
  @Public()
  @Post('dev-token')
  @HttpCode(200)
  @ApiNotFoundResponse({ description: 'the dev issuer is off' })
  createDevToken(@Body() body: DevTokenRequest): DevTokenResponse {
    if (!this.devIssuer) {
      throw new NotFoundException('Cannot POST /v1/auth/dev-token');
    }
    return this.devIssuer.mint(body.email, body.name);
  }
}
