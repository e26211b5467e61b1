import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus } from '@nestjs/common';
import type { Response } from 'express';
import {
  EntityExistsError,
  InvalidCursorError,
  StoreContentionError,
  StoreUnavailableError,
} from '../store/store.errors.js';
import type { JsonLogger } from './logging/json-logger.js';
import { currentRequestContext } from './request-context.js';

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string | string[];
  requestId?: string;
}

/**
 * The one place errors become HTTP answers: Nest exceptions keep their status, store failures get the
 * status a client can act on (503 + Retry-After for contention and outages), anything else is a 500
 * carrying the request id and logged once with its stack.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  constructor(private readonly logger: JsonLogger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    this.answer(exception, host.switchToHttp().getResponse<Response>());
  }

  /** Writes the answer for `exception`; also for middleware that must answer outside the request's own chain. */
  answer(exception: unknown, res: Response): void {
    if (!res.socket || res.socket.destroyed) {
      // The client went away (an upload cut off, a request given up): nobody to answer, nothing went wrong here.
      this.logger.entry('INFO', `client closed the connection before the answer: ${describeError(exception)}`);
      return;
    }
    if (res.headersSent) {
      // The answer was under way when this failed: end it (its headers are out, so no other status can follow).
      res.end();
      return;
    }
    const { status, message, retryAfter, headers } = this.describe(exception);
    const body: ErrorBody = { statusCode: status, error: reasonPhrase(status), message };
    if (status >= 500) {
      body.requestId = currentRequestContext()?.requestId;
    }
    if (retryAfter !== undefined) {
      res.setHeader('Retry-After', String(retryAfter));
    }
    for (const [name, value] of Object.entries(headers ?? {})) {
      res.setHeader(name, value);
    }
    res.status(status).json(body);
  }

  private describe(exception: unknown): {
    status: number;
    message: string | string[];
    retryAfter?: number;
    headers?: Record<string, string>;
  } {
    const clientError = requestError(exception instanceof HttpException ? exception.cause : exception);
    if (clientError) {
      return clientError;
    }
    if (exception instanceof HttpException) {
      const response = exception.getResponse();
      const message =
        typeof response === 'object' && response !== null && 'message' in response
          ? (response.message as string | string[])
          : exception.message;
      const { retryAfterSeconds, headers } = exception as {
        retryAfterSeconds?: number;
        headers?: Record<string, string>;
      };
      return { status: exception.getStatus(), message, retryAfter: retryAfterSeconds, headers };
    }
    if (exception instanceof StoreContentionError) {
      return {
        status: 503,
        message: 'too many concurrent writes, retry shortly',
        retryAfter: exception.retryAfterSeconds,
      };
    }
    if (exception instanceof StoreUnavailableError) {
      this.logger.entry('WARNING', `store unavailable: ${exception.message}`);
      return { status: 503, message: 'storage is unavailable, retry shortly', retryAfter: exception.retryAfterSeconds };
    }
    if (exception instanceof InvalidCursorError) {
      return { status: 400, message: 'cursor is invalid' };
    }
    if (exception instanceof EntityExistsError) {
      return { status: 409, message: 'already exists' };
    }
    this.logger.entry('ERROR', exception instanceof Error ? exception.message : String(exception), {
      stack_trace: exception instanceof Error ? exception.stack : undefined,
    });
    return { status: 500, message: 'internal error' };
  }
}

/**
 * Express's errors about the request itself carry a 4xx status: the body parser's have a type (bad JSON, too large,
 * bad charset) or a zlib code (a body that is not what its Content-Encoding says); the router's is a URIError for a
 * path that is not valid percent-encoding.
 */
function requestError(exception: unknown): { status: number; message: string } | undefined {
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
    return { status, message: `path segment ${segment} is not valid percent-encoding` };
  }
  if (typeof code === 'string' && code.startsWith('Z_')) {
    return { status, message: 'request body is not what its Content-Encoding says' };
  }
  if (typeof type !== 'string') {
    return undefined;
  }
  if (type === 'entity.parse.failed' && typeof body === 'string' && isJson(body)) {
    // The parser takes only objects and arrays: this is a bare string, number, boolean or null.
    return { status, message: 'request body must be a JSON object' };
  }
  const messages: Record<string, string> = {
    'entity.parse.failed': 'request body is not valid JSON',
    'entity.too.large': 'request body is too large',
    'charset.unsupported': 'request body charset is not supported',
    'encoding.unsupported': 'request body encoding is not supported',
  };
  return { status, message: messages[type] ?? 'request body could not be read' };
}

function describeError(exception: unknown): string {
  return exception instanceof Error ? exception.message : String(exception);
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function reasonPhrase(status: number): string {
  const name = HttpStatus[status] as string | undefined;
  return name
    ? name
        .toLowerCase()
        .split('_')
        .map((word) => word[0].toUpperCase() + word.slice(1))
        .join(' ')
    : 'Error';
}
