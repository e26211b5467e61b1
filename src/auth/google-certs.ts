import { DomainError, ErrorCode } from '../common/errors.js';

/** How long a failed fetch is remembered: a burst of sign-ins during an outage costs one fetch, not one each. */
const FAILURE_TTL_MS = 10_000;
const FETCH_TIMEOUT_MS = 5_000;
/** When Google's answer says nothing about caching; its certificates rotate over days. */
const DEFAULT_TTL_MS = 60 * 60 * 1000;

/** 503 with Retry-After: the token may be valid, but it cannot be checked right now. */
function certificatesUnavailable(retryAfterSeconds: number): DomainError {
  return new DomainError(ErrorCode.CertificatesUnavailable, 'cannot fetch Google signing certificates, retry shortly', {
    retryAfterSeconds,
  });
}

type Certs = Record<string, string>;

/**
 * Google's token-signing certificates (PEM by key id): fetched once, kept as long as Google's Cache-Control says,
 * shared by every request that needs them at the same time; a failure is remembered briefly and answered fast.
 */
export class GoogleCerts {
  private cached?: { certs: Certs; until: number };
  private failedUntil = 0;
  private inFlight?: Promise<Certs>;

  constructor(
    private readonly url: string,
    private readonly now: () => number = Date.now,
  ) {}

  get(): Promise<Certs> {
    const now = this.now();
    if (this.cached && this.cached.until > now) {
      return Promise.resolve(this.cached.certs);
    }
    if (this.failedUntil > now) {
      return Promise.reject(certificatesUnavailable(Math.ceil((this.failedUntil - now) / 1000)));
    }
    this.inFlight ??= this.fetch().finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  private async fetch(): Promise<Certs> {
    try {
      const response = await fetch(this.url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
      const certs = await response.json();
      if (!response.ok || typeof certs !== 'object' || certs === null) {
        throw new Error(`certificates answered ${response.status}`);
      }
      const maxAge = /max-age=(\d+)/.exec(response.headers.get('cache-control') ?? '')?.[1];
      const until = this.now() + (maxAge === undefined ? DEFAULT_TTL_MS : Number(maxAge) * 1000);
      this.cached = { certs: certs as Certs, until };
      return this.cached.certs;
    } catch {
      this.failedUntil = this.now() + FAILURE_TTL_MS;
      throw certificatesUnavailable(Math.ceil(FAILURE_TTL_MS / 1000));
    }
  }
}
