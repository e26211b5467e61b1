import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import helmet from 'helmet';
import type { AppConfig } from '../config/app-config.js';

/** What the API owns: everything else is the web app's (its files, or index.html for a client-side route). */
export const API_PATHS = /^\/(?:v1|docs|docs-json|healthz|readyz|_ah|_internal)(?:[/?]|$)/;

/** Vite names every asset by its content's hash: a name never gets other bytes. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
const GOOGLE_SIGN_IN = 'https://accounts.google.com/gsi/';

/**
 * The built React app (web/dist) at `/`: hashed assets cached for a year, index.html revalidated on every load
 * (so a deploy reaches everyone at once), any other GET that is not the API's answered with index.html for the
 * client's router. Without a build there is nothing to serve and `/` stays a 404.
 */
export function webApp(config: AppConfig): RequestHandler | undefined {
  const dir = config.webDir;
  if (!existsSync(join(dir, 'index.html'))) {
    return undefined;
  }
  // Replaces the API's closed policy, which securityHeaders set first and which anything not served here keeps.
  const policy = helmet({
    contentSecurityPolicy: { useDefaults: false, directives: webDirectives(config) },
    // Google's sign-in popup answers the page by postMessage, which `same-origin` would block.
    crossOriginOpenerPolicy: { policy: config.googleClientIds.length > 0 ? 'same-origin-allow-popups' : 'same-origin' },
  });
  const pageHeaders = (req: Request, res: Response): void => policy(req, res, () => undefined);
  const files = express.static(dir, {
    index: false,
    redirect: false,
    setHeaders: (res: Response, path) => {
      pageHeaders(res.req, res);
      res.setHeader('Cache-Control', path.startsWith(join(dir, 'assets')) ? IMMUTABLE : 'no-cache');
    },
  });
  const index = join(dir, 'index.html');
  return (req: Request, res: Response, next: NextFunction) => {
    if (API_PATHS.test(req.path) || (req.method !== 'GET' && req.method !== 'HEAD')) {
      next();
      return;
    }
    files(req, res, () => {
      // A missing asset or top-level file (robots.txt) is a 404, never the page: a browser would run index.html as a
      // script. Deeper paths are the client's routes, and a username may have a dot in it (/u/alice.l).
      if (req.path.startsWith('/assets/') || /^\/[^/]*\.[^/]*$/.test(req.path)) {
        next();
        return;
      }
      pageHeaders(req, res);
      res.setHeader('Cache-Control', 'no-cache');
      res.sendFile(index, (error) => {
        if (error) {
          next(error);
        }
      });
    });
  };
}

const GCS = 'https://storage.googleapis.com';

/**
 * The page loads only its own files, images from where the API says they are (the media bucket or its CDN, and the
 * uploads bucket for posts stored before images were processed), uploads to the uploads bucket, and Google's sign-in
 * when it is configured. Buckets are named by path: any other bucket on storage.googleapis.com is refused.
 */
export function webDirectives(config: AppConfig): Record<string, string[]> {
  const local = originOf(config.publicUrl);
  const uploads = config.gcsBucket ? [`${GCS}/${config.gcsBucket}/`] : [local];
  const media = config.gcsBucket
    ? [config.mediaBaseUrl ? `${config.mediaBaseUrl.replace(/\/+$/, '')}/` : `${GCS}/${config.gcsMediaBucket}/`]
    : [local];
  const google = config.googleClientIds.length > 0;
  return {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'", ...(google ? [`${GOOGLE_SIGN_IN}client`] : [])],
    styleSrc: ["'self'", ...(google ? [`${GOOGLE_SIGN_IN}style`] : [])],
    imgSrc: ["'self'", 'data:', 'blob:', ...new Set([...media, ...uploads]), 'https://*.googleusercontent.com'],
    connectSrc: ["'self'", ...uploads, ...(google ? [GOOGLE_SIGN_IN] : [])],
    frameSrc: google ? [GOOGLE_SIGN_IN] : ["'none'"],
    objectSrc: ["'none'"],
    baseUri: ["'self'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
  };
}

function originOf(url: string): string {
  return new URL(url).origin;
}
