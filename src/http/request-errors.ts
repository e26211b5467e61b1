import { ErrorCode } from '../common/errors.js';
import type { Problem } from './problem.js';

const BODY_PROBLEMS: Record<string, Pick<Problem, 'code' | 'detail'>> = {
  'entity.parse.failed': { code: ErrorCode.InvalidJson, detail: 'request body is not valid JSON' },
  'entity.too.large': { code: ErrorCode.BodyTooLarge, detail: 'request body is too large' },
  'charset.unsupported': { code: ErrorCode.UnsupportedMediaType, detail: 'request body charset is not supported' },
  'encoding.unsupported': { code: ErrorCode.UnsupportedMediaType, detail: 'request body encoding is not supported' },
};

/**
 * Express's errors about the request itself carry a 4xx status: the body parser's have a type (bad JSON, too large,
 * bad charset) or a zlib code (a body that is not what its Content-Encoding says); the router's is a URIError for a
 * path that is not valid percent-encoding.
 */
export function describeRequestError(exception: unknown): Problem | undefined {
  if (typeof exception !== 'object' || exception === null) {
    return undefined;
  }
  const { status, type, code, body } = exception as {
    status?: unknown;
    type?: unknown;
    code?: unknown;
    body?: unknown;
  };
  if (typeof status !== 'number' || status < 400 || status > 499) {
    return undefined;
  }
  if (exception instanceof URIError) {
    const segment = /'(.*)'$/.exec(exception.message)?.[1] ?? 'a path segment';
    return { code: ErrorCode.InvalidPath, status, detail: `path segment ${segment} is not valid percent-encoding` };
  }
  if (typeof code === 'string' && code.startsWith('Z_')) {
    return { code: ErrorCode.InvalidBody, status, detail: 'request body is not what its Content-Encoding says' };
  }
  if (typeof type !== 'string') {
    return undefined;
  }
  if (type === 'entity.parse.failed' && typeof body === 'string' && isJson(body)) {
    // The parser takes only objects and arrays: this is a bare string, number, boolean or null.
    return { code: ErrorCode.InvalidJson, status, detail: 'request body must be a JSON object' };
  }
  return {
    status,
    ...(BODY_PROBLEMS[type] ?? { code: ErrorCode.InvalidBody, detail: 'request body could not be read' }),
  };
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
