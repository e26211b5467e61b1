import { ServiceUnavailableException, UnsupportedMediaTypeException } from '@nestjs/common';
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
    next(new UnsupportedMediaTypeException(`request body must be application/json, got ${type ?? 'no Content-Type'}`));
  } else if (charset !== undefined && !/^utf-?8$/i.test(charset)) {
    next(new UnsupportedMediaTypeException(`request body must be UTF-8, got charset ${charset}`));
  } else {
    next();
  }
}

/** While the instance drains, new requests are refused cleanly so that only those already running finish. */
export function refuseWhileDraining(isDraining: () => boolean): RequestHandler {
  return (req, res, next) => {
    if (isDraining() && !HEALTH_PATHS.has(req.path)) {
      res.setHeader('Connection', 'close');
      res.setHeader('Retry-After', '1');
      next(new ServiceUnavailableException('shutting down, retry on another instance'));
      return;
    }
    next();
  };
}
