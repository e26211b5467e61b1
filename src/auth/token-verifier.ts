import { HttpException, HttpStatus, Inject, Injectable, ServiceUnavailableException } from '@nestjs/common';
import { OAuth2Client } from 'google-auth-library';
import { AppConfig } from '../config/app-config.js';
import type { AuthenticatedUser } from './auth.types.js';
import { DEV_AUDIENCE, DEV_ISSUER, DevIssuer } from './dev-issuer.js';

const GOOGLE_ISSUERS = ['accounts.google.com', 'https://accounts.google.com'];

/** 401 with the `WWW-Authenticate: Bearer` challenge and a short reason; never the token itself. */
export class InvalidTokenException extends HttpException {
  readonly headers: Record<string, string>;

  constructor(reason: string, missing = false) {
    super(reason, HttpStatus.UNAUTHORIZED);
    this.headers = {
      'WWW-Authenticate': missing
        ? 'Bearer realm="picfeed"'
        : `Bearer realm="picfeed", error="invalid_token", error_description="${reason}"`,
    };
  }
}

/** google-auth-library's errors quote the token or its claims, so only a fixed reason leaves this class. */
const REASONS: [RegExp, string][] = [
  [/^Token used too late/, 'token expired'],
  [/^Token used too early/, 'token not yet valid'],
  [/^Wrong recipient/, 'token audience is not accepted'],
  [/^Invalid issuer/, 'token issuer is not accepted'],
  [/^Invalid token signature/, 'token signature is invalid'],
  [/^No pem found/, 'token signing key is unknown'],
  [/^Expiration time too far/, 'token lifetime is too long'],
];

@Injectable()
export class TokenVerifier {
  private readonly client: OAuth2Client;
  private readonly audiences: string[];

  constructor(
    config: AppConfig,
    @Inject(DevIssuer) private readonly devIssuer: DevIssuer | null,
  ) {
    this.client = new OAuth2Client({ endpoints: { oauth2FederatedSignonPemCertsUrl: config.googleCertsUrl } });
    this.audiences = [...config.googleClientIds, ...(devIssuer ? [DEV_AUDIENCE] : [])];
  }

  async verify(token: string): Promise<AuthenticatedUser> {
    const kid = keyIdOf(token);
    const dev = this.devIssuer && kid === this.devIssuer.keyId ? this.devIssuer : undefined;
    const certs = dev ? { [dev.keyId]: dev.publicKeyPem } : await this.googleCerts();
    try {
      const ticket = await this.client.verifySignedJwtWithCertsAsync(
        token,
        certs,
        this.audiences,
        dev ? [DEV_ISSUER] : GOOGLE_ISSUERS,
      );
      const payload = ticket.getPayload();
      if (!payload?.sub) {
        throw new InvalidTokenException('token has no subject');
      }
      return { id: payload.sub, email: payload.email, name: payload.name, picture: payload.picture };
    } catch (error) {
      if (error instanceof HttpException) {
        throw error;
      }
      const message = error instanceof Error ? error.message : '';
      throw new InvalidTokenException(REASONS.find(([pattern]) => pattern.test(message))?.[1] ?? 'token is malformed');
    }
  }

  private async googleCerts(): Promise<Record<string, string>> {
    try {
      return (await this.client.getFederatedSignonCertsAsync()).certs as Record<string, string>;
    } catch {
      throw new ServiceUnavailableException('cannot fetch Google signing certificates, retry shortly');
    }
  }
}

function keyIdOf(token: string): string | undefined {
  const segments = token.split('.');
  if (segments.length !== 3) {
    throw new InvalidTokenException('token is malformed');
  }
  try {
    const header = JSON.parse(Buffer.from(segments[0], 'base64url').toString('utf8')) as { kid?: unknown };
    return typeof header.kid === 'string' ? header.kid : undefined;
  } catch {
    throw new InvalidTokenException('token is malformed');
  }
}
