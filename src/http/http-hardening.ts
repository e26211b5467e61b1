import { DomainError, ErrorCode } from '../common/errors.js';
import type { Server } from 'node:http';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import helmet from 'helmet';

const HEALTH_PATHS = new Set(['/healthz', '/readyz']);

/** Paths whose bodies are not JSON: the local blob folder's signed uploads carry the image itself. */
const RAW_BODY_PATHS = /^\/v1\/blobs\//;

/**
 * Security headers. The API answers JSON only, so it may load nothing and be framed by nobody; Swagger UI
 * needs its own scripts and inline styles; images from the local blob folder are shown by other origins.
 */
export function securityHeaders(): RequestHandler {
  const api = helmet({
    contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
  });
  const docs = helmet({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } });
  const blobs = helmet({ crossOriginResourcePolicy: { policy: 'cross-origin' } });
  return (req, res, next) => {
    const headers = req.path.startsWith('/docs') ? docs : RAW_BODY_PATHS.test(req.path) ? blobs : api;
    headers(req, res, next);
  };
}

/** A body that is not UTF-8 JSON is refused before anything reads it, with the type the API wants. */
export function requireJsonBodies(req: Request, _res: Response, next: NextFunction): void {
  const hasBody = req.header('transfer-encoding') !== undefined || Number(req.header('content-length') ?? 0) > 0;
  if (!hasBody || RAW_BODY_PATHS.test(req.path)) {
    next();
    return;
  }
  const type = req.header('content-type');
  // JSON is UTF-8 (RFC 8259); UTF-7 and friends are how filters get bypassed.
  const charset = /;\s*charset=("?)([^";]*)\1/i.exec(type ?? '')?.[2];
  if (!req.is(['application/json', '+json'])) {
    next(
      new DomainError(
        ErrorCode.UnsupportedMediaType,
        `request body must be application/json, got ${type ?? 'no Content-Type'}`,
      ),
    );
  } else if (charset !== undefined && !/^utf-?8$/i.test(charset)) {
    next(new DomainError(ErrorCode.UnsupportedMediaType, `request body must be UTF-8, got charset ${charset}`));
  } else {
    next();
  }
}

/** While the instance drains, new requests are refused cleanly so that only those already running finish. */
export function refuseWhileDraining(isDraining: () => boolean): RequestHandler {
  return (req, res, next) => {
    if (isDraining() && !HEALTH_PATHS.has(req.path)) {
      res.setHeader('Connection', 'close');
      next(
        new DomainError(ErrorCode.ShuttingDown, 'shutting down, retry on another instance', { retryAfterSeconds: 1 }),
      );
      return;
    }
    next();
  };
}

/** How often Node checks its header and request deadlines (its default, 30 s, lets a slow client overstay by as much). */
const DEADLINE_CHECK_MS = 1_000;
/**
 * Bounds how long a client may hold a connection: the headers, the whole request and the idle time between kept-alive
 * requests each have a deadline; past the first two Node answers 408 and closes the connection.
 */
export function applyServerTimeouts(
  server: Server,
  timeouts: { headersMs: number; requestMs: number; keepAliveMs: number },
): void {
  server.headersTimeout = timeouts.headersMs;
  server.requestTimeout = timeouts.requestMs;
  server.keepAliveTimeout = timeouts.keepAliveMs;
  (server as Server & { connectionsCheckingInterval: number }).connectionsCheckingInterval = DEADLINE_CHECK_MS;
}

/**
 * A body (other than a blob upload's) must arrive within `ms`: past it the client gets 408 and the connection is
 * closed, so a client trickling a byte at a time holds nothing for long. When the request was answered already
 * (refused before its body was read), the connection is simply closed. The blob routes stream large bodies and have
 * only the server's request deadline.
 */
export function bodyDeadline(ms: number, answer: (error: unknown, res: Response) => void): RequestHandler {
  return (req, res, next) => {
    if (RAW_BODY_PATHS.test(req.path) || req.complete) {
      next();
      return;
    }
    const timer = setTimeout(() => {
      if (req.complete) {
        return;
      }
      if (res.headersSent) {
        req.socket.destroy();
        return;
      }
      // Answered here, not through next(): the body parser still holds this request's place in the middleware
      // chain and calls next() itself once the connection is gone.
      res.setHeader('Connection', 'close');
      res.once('finish', () => req.socket.destroy());
      answer(new DomainError(ErrorCode.RequestTimeout, `request body did not arrive within ${ms / 1000} s`), res);
    }, ms);
    const clear = (): void => clearTimeout(timer);
    req.once('end', clear);
    // Once answered the timer stays only while the body is still arriving (to cut off a client trickling it).
    res.once('close', () => (req.complete ? clear() : undefined));
    next();
  };
}
