import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../config/app-config.js';

export const DEV_ISSUER = 'picfeed-dev';
export const DEV_AUDIENCE = 'picfeed-dev';
const TOKEN_LIFETIME_SECONDS = 3600;
const KEY_FILE = 'dev-signing-key.pem';

export interface DevToken {
  idToken: string;
  expiresAt: string;
}

/**
 * A local stand-in for Google's token service: RS256 ID tokens signed with a key kept under DATA_DIR, so
 * tokens survive a restart. They are verified by the same OAuth2Client code as Google's.
 */
export class DevIssuer {
  readonly keyId: string;
  readonly publicKeyPem: string;

  private constructor(private readonly privateKey: KeyObject) {
    this.publicKeyPem = createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString();
    this.keyId = createHash('sha256').update(this.publicKeyPem).digest('hex').slice(0, 16);
  }

  /** With a directory, the key is read from it or created there once; without, it lives as long as the process. */
  static open(directory?: string): DevIssuer {
    if (!directory) {
      return new DevIssuer(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey);
    }
    const path = join(directory, KEY_FILE);
    if (!existsSync(path)) {
      mkdirSync(directory, { recursive: true });
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      writeFileSync(path, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
    }
    try {
      return new DevIssuer(createPrivateKey(readFileSync(path)));
    } catch {
      throw new ConfigError(
        `${path} is not a readable private key: delete it to make a new one (tokens it signed stop working)`,
      );
    }
  }

  /** The same email always maps to the same user id. */
  mint(email: string, name: string | undefined, now = Date.now()): DevToken {
    const normalized = email.trim().toLowerCase();
    const issuedAt = Math.floor(now / 1000);
    const expiresAt = issuedAt + TOKEN_LIFETIME_SECONDS;
    const payload = {
      iss: DEV_ISSUER,
      aud: DEV_AUDIENCE,
      sub: `dev-${createHash('sha256').update(normalized).digest('hex').slice(0, 24)}`,
      email: normalized,
      email_verified: true,
      ...(name ? { name } : {}),
      iat: issuedAt,
      exp: expiresAt,
    };
    const unsigned = `${base64url({ alg: 'RS256', typ: 'JWT', kid: this.keyId })}.${base64url(payload)}`;
    const signature = sign('RSA-SHA256', Buffer.from(unsigned), this.privateKey).toString('base64url');
    return { idToken: `${unsigned}.${signature}`, expiresAt: new Date(expiresAt * 1000).toISOString() };
  }
}

function base64url(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}
