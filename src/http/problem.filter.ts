import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Injectable } from '@nestjs/common';
import type { Response } from 'express';
import { DomainError, ErrorCode } from '../common/errors.js';
import { JsonLogger } from '../common/logging/json-logger.js';
import { currentRequestContext } from '../common/request-context.js';
import { InvalidCursorError, StoreContentionError, StoreUnavailableError } from '../store/store.errors.js';
import {
  PROBLEM_CONTENT_TYPE,
  type Problem,
  type ProblemDetails,
  STATUS_OF,
  codeForStatus,
  problemTitle,
  problemType,
} from './problem.js';
import { describeRequestError } from './request-errors.js';

/**
 * The one place errors become HTTP answers, as RFC 9457 problem details: a domain error by its code, store
 * failures by what a client can do about them (503 + Retry-After for contention and outages), Express's and
 * Nest's own errors by their status, and anything else a 500 carrying the request id, logged once with its stack.
 */
@Catch()
@Injectable()
export class ProblemFilter implements ExceptionFilter {
  constructor(private readonly logger: JsonLogger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    this.answer(exception, host.switchToHttp().getResponse<Response>());
  }

  /** Writes the answer for `exception`; also for middleware that must answer outside the request's own chain. */
  answer(exception: unknown, res: Response): void {
    if (!res.socket || res.socket.destroyed) {
      // The client went away (an upload cut off, a request given up): nobody to answer, nothing went wrong here.
      this.logger.entry('INFO', `client closed the connection before the answer: ${describe(exception)}`);
      return;
    }
    if (res.headersSent) {
      // The answer was under way when this failed: end it (its headers are out, so no other status can follow).
      res.end();
      return;
    }
    const problem = this.problemOf(exception);
    const status = problem.status ?? STATUS_OF[problem.code];
    const body: ProblemDetails = {
      type: problemType(problem.code),
      title: problemTitle(problem.code),
      status,
      detail: problem.detail,
      code: problem.code,
      requestId: currentRequestContext()?.requestId ?? String(res.getHeader('X-Request-Id') ?? ''),
      ...(problem.errors && { errors: [...problem.errors] }),
    };
    if (problem.retryAfterSeconds !== undefined) {
      res.setHeader('Retry-After', String(problem.retryAfterSeconds));
    }
    for (const [name, value] of Object.entries(problem.headers ?? {})) {
      res.setHeader(name, value);
    }
    res.setHeader('Content-Type', PROBLEM_CONTENT_TYPE);
    res.status(status).json(body);
  }

  private problemOf(exception: unknown): Problem {
    const requestError = describeRequestError(exception instanceof HttpException ? exception.cause : exception);
    if (requestError) {
      return requestError;
    }
    if (exception instanceof DomainError) {
      const { code, message, errors, retryAfterSeconds, headers } = exception;
      return { code, detail: message, errors, retryAfterSeconds, headers };
    }
    if (exception instanceof HttpException) {
      // Nest's own: an unknown route, or a method Express does not route.
      const status = exception.getStatus();
      return { code: codeForStatus(status), status, detail: exception.message };
    }
    if (exception instanceof StoreContentionError) {
      return {
        code: ErrorCode.StoreContention,
        detail: 'too many concurrent writes, retry shortly',
        retryAfterSeconds: exception.retryAfterSeconds,
      };
    }
    if (exception instanceof StoreUnavailableError) {
      this.logger.entry('WARNING', `store unavailable: ${exception.message}`);
      return {
        code: ErrorCode.StoreUnavailable,
        detail: 'storage is unavailable, retry shortly',
        retryAfterSeconds: exception.retryAfterSeconds,
      };
    }
    if (exception instanceof InvalidCursorError) {
      return { code: ErrorCode.InvalidCursor, detail: 'cursor is invalid' };
    }
    this.logger.entry('ERROR', describe(exception), {
      stack_trace: exception instanceof Error ? exception.stack : undefined,
    });
    return { code: ErrorCode.InternalError, detail: 'internal error' };
  }
}

function describe(exception: unknown): string {
  return exception instanceof Error ? exception.message : String(exception);
}
