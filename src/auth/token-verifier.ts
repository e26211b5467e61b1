import { Injectable, Optional } from '@nestjs/common';
import { OAuth2Client } from 'google-auth-library';
import { DomainError, ErrorCode } from '../common/errors.js';
import { isValidUserId } from '../common/key-name.js';
import { AppConfig } from '../config/app-config.js';
import type { AuthenticatedUser } from './auth.types.js';
import { DEV_AUDIENCE, DEV_ISSUER, DevIssuer } from './dev-issuer.js';
import { GoogleCerts } from './google-certs.js';

const GOOGLE_ISSUERS = ['accounts.google.com', 'https://accounts.google.com'];
/** Leeway for clocks that disagree, as google-auth-library allows. */
const CLOCK_SKEW_SECONDS = 300;
/** Google ID tokens live an hour; nothing valid lives longer than a day. */
const MAX_LIFETIME_SECONDS = 86_400;
const MAX_TOKEN_LENGTH = 8_192;

/** 401 with the `WWW-Authenticate: Bearer` challenge and a short reason; never the token itself. */
export function invalidToken(reason: string): DomainError {
  return new DomainError(ErrorCode.InvalidToken, reason, {
    headers: { 'WWW-Authenticate': `Bearer realm="picfeed", error="invalid_token", error_description="${reason}"` },
  });
}

interface Claims {
  readonly header: Record<string, unknown>;
  readonly payload: Record<string, unknown>;
}

/**
 * Checks ID tokens: everything that needs no key first (shape, algorithm, issuer, audience, times, subject), so a
 * token that cannot be valid is refused fast and never makes the server fetch Google's certificates; then the
 * signature, by google-auth-library, with the dev issuer's key or Google's cached certificates.
 */
@Injectable()
export class TokenVerifier {
  private readonly client = new OAuth2Client();
  private readonly certs: GoogleCerts;
  private readonly googleAudiences: readonly string[];
  private readonly adminEmails: ReadonlySet<string>;

  constructor(
    config: AppConfig,
    /** Present only when the local configuration turns the dev issuer on. */
    @Optional() private readonly devIssuer?: DevIssuer,
  ) {
    this.certs = new GoogleCerts(config.googleCertsUrl);
    this.googleAudiences = config.googleClientIds;
    this.adminEmails = new Set(config.adminEmails);
  }

  async verify(token: string): Promise<AuthenticatedUser> {
    const { header, payload } = parse(token);
    const dev = this.devIssuer !== undefined && payload.iss === DEV_ISSUER;
    if (!dev && !GOOGLE_ISSUERS.includes(payload.iss as string)) {
      throw invalidToken('token issuer is not accepted');
    }
    const audiences = dev ? [DEV_AUDIENCE] : this.googleAudiences;
    if (typeof payload.aud !== 'string' || !audiences.includes(payload.aud)) {
      throw invalidToken('token audience is not accepted');
    }
    checkTimes(payload, Math.floor(Date.now() / 1000));
    if (!isValidUserId(payload.sub)) {
      throw invalidToken('token subject is invalid');
    }
    const kid = header.kid as string;
    const certs = dev ? { [this.devIssuer.keyId]: this.devIssuer.publicKeyPem } : await this.certs.get();
    if (!Object.hasOwn(certs, kid)) {
      throw invalidToken('token signing key is unknown');
    }
    try {
      await this.client.verifySignedJwtWithCertsAsync(
        token,
        { [kid]: certs[kid] },
        [...audiences],
        [payload.iss as string],
      );
    } catch {
      // Everything else was checked above; google-auth-library's messages quote the token, so none leaves here.
      throw invalidToken('token signature is invalid');
    }
    const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
    const email = text(payload.email);
    // Only an address Google (or the dev issuer) verified names an admin: an unverified one could be anyone's.
    const admin = email !== undefined && payload.email_verified === true && this.adminEmails.has(email.toLowerCase());
    return { id: payload.sub, email, name: text(payload.name), picture: text(payload.picture), admin };
  }
}

function parse(token: string): Claims {
  const segments = token.split('.');
  if (token.length > MAX_TOKEN_LENGTH || segments.length !== 3) {
    throw invalidToken('token is malformed');
  }
  const [header, payload] = segments.slice(0, 2).map((segment) => {
    try {
      const value = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8')) as unknown;
      return typeof value === 'object' && value !== null && !Array.isArray(value)
        ? (value as Record<string, unknown>)
        : undefined;
    } catch {
      return undefined;
    }
  });
  if (!header || !payload) {
    throw invalidToken('token is malformed');
  }
  if (header.alg !== 'RS256') {
    throw invalidToken('token algorithm must be RS256');
  }
  if (typeof header.kid !== 'string' || header.kid === '') {
    throw invalidToken('token has no key id');
  }
  return { header, payload };
}

function checkTimes(payload: Record<string, unknown>, now: number): void {
  const { iat, exp, nbf } = payload;
  const isTime = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
  if (!isTime(iat) || !isTime(exp) || (nbf !== undefined && !isTime(nbf))) {
    throw invalidToken('token times must be numbers');
  }
  if (exp + CLOCK_SKEW_SECONDS < now) {
    throw invalidToken('token expired');
  }
  if (iat - CLOCK_SKEW_SECONDS > now || (nbf !== undefined && nbf - CLOCK_SKEW_SECONDS > now)) {
    throw invalidToken('token not yet valid');
  }
  if (exp < iat) {
    throw invalidToken('token expires before it was issued');
  }
  if (exp - iat > MAX_LIFETIME_SECONDS) {
    throw invalidToken('token lifetime is too long');
  }
}
