import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AppConfig } from '../config/app-config.js';
import { Public } from '../common/public.decorator.js';
import { SignInOptionsDto } from './dto/sign-in-options.dto.js';

/** What the web app's sign-in screen offers: the dev issuer's form, Google's button, or both. */
@ApiTags('auth')
@Controller('v1/auth')
export class SignInOptionsController {
  private readonly options: SignInOptionsDto;

  constructor(config: AppConfig) {
    this.options = { devSignIn: config.devSignIn, googleClientId: config.googleClientIds[0] ?? null };
  }

  /** How to sign in here. Public. */
  @Public()
  @Get('options')
  getSignInOptions(): SignInOptionsDto {
    return this.options;
  }
}
