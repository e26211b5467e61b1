import type { LoggerService } from '@nestjs/common';
import type { LogLevel } from '../../config/app-config.js';
import { currentRequestContext } from '../request-context.js';

type Severity = 'DEBUG' | 'INFO' | 'WARNING' | 'ERROR' | 'CRITICAL';

const RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3, silent: 4 };
const SEVERITY_RANK: Record<Severity, number> = { DEBUG: 0, INFO: 1, WARNING: 2, ERROR: 3, CRITICAL: 3 };

export interface HttpRequestLog {
  requestMethod: string;
  requestUrl: string;
  status: number;
  latency: string;
  userAgent?: string;
  remoteIp?: string;
  responseSize?: string;
}

/**
 * One JSON object a line, in the shape Cloud Logging reads from App Engine's stdout: severity, message,
 * httpRequest, and the trace of the request it belongs to, so a request's lines group together.
 */
export class JsonLogger implements LoggerService {
  constructor(
    private readonly level: LogLevel,
    private readonly projectId: string | undefined,
    private readonly write: (line: string) => void = (line) => process.stdout.write(line + '\n'),
  ) {}

  log(message: unknown, ...rest: unknown[]): void {
    this.emit('INFO', message, rest);
  }

  error(message: unknown, ...rest: unknown[]): void {
    this.emit('ERROR', message, rest);
  }

  warn(message: unknown, ...rest: unknown[]): void {
    this.emit('WARNING', message, rest);
  }

  debug(message: unknown, ...rest: unknown[]): void {
    this.emit('DEBUG', message, rest);
  }

  verbose(message: unknown, ...rest: unknown[]): void {
    this.emit('DEBUG', message, rest);
  }

  request(httpRequest: HttpRequestLog): void {
    const severity = httpRequest.status >= 500 ? 'ERROR' : httpRequest.status >= 400 ? 'WARNING' : 'INFO';
    this.entry(severity, `${httpRequest.requestMethod} ${httpRequest.requestUrl} ${httpRequest.status}`, {
      httpRequest,
    });
  }

  entry(severity: Severity, message: string, fields: Record<string, unknown> = {}): void {
    if (SEVERITY_RANK[severity] < RANK[this.level]) {
      return;
    }
    const context = currentRequestContext();
    const record: Record<string, unknown> = { severity, message, time: new Date().toISOString(), ...fields };
    if (context) {
      record.requestId = context.requestId;
      if (context.trace && this.projectId) {
        record['logging.googleapis.com/trace'] = `projects/${this.projectId}/traces/${context.trace}`;
      }
    }
    this.write(JSON.stringify(record));
  }

  private emit(severity: Severity, message: unknown, rest: unknown[]): void {
    const context = typeof rest.at(-1) === 'string' ? (rest.pop() as string) : undefined;
    const stack = rest.find((item): item is string => typeof item === 'string' && item.includes('\n    at '));
    const text =
      message instanceof Error ? message.message : typeof message === 'string' ? message : JSON.stringify(message);
    const fields: Record<string, unknown> = {};
    if (context) {
      fields.context = context;
    }
    if (message instanceof Error || stack) {
      fields.stack_trace = message instanceof Error ? message.stack : stack;
    }
    this.entry(severity, text, fields);
  }
}
