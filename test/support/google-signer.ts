import { generateKeyPairSync, sign } from 'node:crypto';
import { createServer, type Server } from 'node:http';

/** Claims to put in a token; any JSON value, so tests can send what no honest issuer would. */
export type TokenClaims = Record<string, unknown>;

/**
 * Stands in for Google: a key pair made here, its certificate served on loopback in the PEM-map format
 * google-auth-library fetches, and RS256 ID tokens signed with node:crypto.
 */
export class GoogleSigner {
  static readonly CLIENT_ID = 'picfeed-test.apps.googleusercontent.com';
  readonly keyId = 'test-key-1';
  private readonly keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  private readonly otherKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  private server?: Server;
  certsUrl = '';
  /** How many times the certificates were fetched. */
  fetches = 0;

  async start(): Promise<void> {
    const pem = this.keys.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    this.server = createServer((_req, res) => {
      this.fetches += 1;
      res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'public, max-age=3600' });
      res.end(JSON.stringify({ [this.keyId]: pem }));
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    this.certsUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/oauth2/v1/certs`;
  }

  async stop(): Promise<void> {
    await new Promise((resolve) => this.server?.close(resolve));
  }

  token(
    claims: TokenClaims = {},
    options: { signWithOtherKey?: boolean; header?: Record<string, unknown> } = {},
  ): string {
    const now = Math.floor(Date.now() / 1000);
    const payload = {
      iss: 'https://accounts.google.com',
      aud: GoogleSigner.CLIENT_ID,
      sub: '110248495921238986420',
      email: 'ada@example.com',
      email_verified: true,
      name: 'Ada Lovelace',
      picture: 'https://lh3.googleusercontent.com/a/ada',
      iat: now,
      exp: now + 3600,
      ...claims,
    };
    const encode = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
    const header = { alg: 'RS256', typ: 'JWT', kid: this.keyId, ...options.header };
    const unsigned = `${encode(header)}.${encode(payload)}`;
    const key = options.signWithOtherKey ? this.otherKeys.privateKey : this.keys.privateKey;
    return `${unsigned}.${sign('RSA-SHA256', Buffer.from(unsigned), key).toString('base64url')}`;
  }
}
