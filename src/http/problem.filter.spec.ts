import { BadRequestException, HttpException, NotFoundException, type ArgumentsHost } from '@nestjs/common';
import { DomainError, ErrorCode } from '../common/errors.js';
import { JsonLogger } from '../common/logging/json-logger.js';
import { runWithRequestContext } from '../common/request-context.js';
import { EntityExistsError, StoreContentionError, StoreUnavailableError } from '../store/store.errors.js';
import { ProblemFilter } from './problem.filter.js';
import { STATUS_OF } from './problem.js';

function fakeResponse(state: { headersSent?: boolean; socketDestroyed?: boolean } = {}) {
  const headers: Record<string, string> = {};
  const sent: { status?: number; body?: unknown; ended?: boolean } = {};
  const res = {
    headersSent: state.headersSent ?? false,
    socket: { destroyed: state.socketDestroyed ?? false },
    setHeader: (name: string, value: string) => void (headers[name] = value),
    getHeader: (name: string) => headers[name],
    status(code: number) {
      sent.status = code;
      return this;
    },
    json: (body: unknown) => void (sent.body = body),
    end: () => void (sent.ended = true),
  };
  const host = { switchToHttp: () => ({ getResponse: () => res }) } as unknown as ArgumentsHost;
  return { host, headers, sent };
}

describe('ProblemFilter', () => {
  const lines: string[] = [];
  const sut = new ProblemFilter(new JsonLogger('info', undefined, (line) => lines.push(line)));

  beforeEach(() => (lines.length = 0));

  it('should answer exhausted contention with 503 and Retry-After', () => {
    const { host, headers, sent } = fakeResponse();

    sut.catch(new StoreContentionError(8), host);

    expect(sent).toMatchObject({ status: 503, body: { status: 503, code: 'store_contention' } });
    expect(headers['Retry-After']).toBe('1');
    expect(headers['Content-Type']).toBe('application/problem+json');
  });

  it('should answer a store outage with 503 and Retry-After', () => {
    const { host, headers, sent } = fakeResponse();

    sut.catch(new StoreUnavailableError('deadline exceeded'), host);

    expect(sent.status).toBe(503);
    expect(headers['Retry-After']).toBe('2');
  });

  it('should write problem details with the request id and the field errors of a validation failure', () => {
    const { host, sent } = fakeResponse();
    const errors = [{ field: 'bio', message: 'bio must be shorter than or equal to 300 characters' }];

    runWithRequestContext({ requestId: 'req-1' }, () =>
      sut.catch(new DomainError(ErrorCode.ValidationFailed, errors[0].message, { errors }), host),
    );

    expect(sent).toEqual({
      status: 400,
      body: {
        type: 'urn:picfeed:problem:validation_failed',
        title: 'Validation failed',
        status: 400,
        detail: 'bio must be shorter than or equal to 300 characters',
        code: 'validation_failed',
        requestId: 'req-1',
        errors,
      },
    });
  });

  it('should answer every code with its own status and the headers the error carries', () => {
    for (const code of Object.values(ErrorCode)) {
      const { host, headers, sent } = fakeResponse();

      sut.catch(new DomainError(code, 'detail', { headers: { 'WWW-Authenticate': 'Bearer' } }), host);

      expect(sent).toMatchObject({
        status: STATUS_OF[code],
        body: { code, status: STATUS_OF[code], detail: 'detail' },
      });
      expect(headers['WWW-Authenticate']).toBe('Bearer');
    }
  });

  it("should keep the status of Nest's own exceptions and give them a code", () => {
    const { host, sent } = fakeResponse();

    sut.catch(new NotFoundException('Cannot GET /nope'), host);

    expect(sent).toMatchObject({ status: 404, body: { code: 'route_not_found', detail: 'Cannot GET /nope' } });
  });

  it('should hide an unexpected error behind a 500 and log it once with its stack', () => {
    const { host, sent } = fakeResponse();

    sut.catch(new TypeError('secret internals'), host);

    expect(sent.body).toMatchObject({ status: 500, code: 'internal_error', detail: 'internal error' });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0])).toMatchObject({ severity: 'ERROR', message: 'secret internals' });
  });

  it('should name a path segment that is not valid percent-encoding', () => {
    const { host, sent } = fakeResponse();
    const cause = Object.assign(new URIError("Failed to decode param '%E0%A4%A'"), { status: 400 });

    sut.catch(new BadRequestException(cause.message, { cause }), host);

    expect(sent).toMatchObject({
      status: 400,
      body: { code: 'invalid_path', detail: 'path segment %E0%A4%A is not valid percent-encoding' },
    });
  });

  it('should tell a bare JSON value from broken JSON', () => {
    const parseError = (body: string) =>
      Object.assign(new SyntaxError('Unexpected token'), { status: 400, type: 'entity.parse.failed', body });
    const bare = fakeResponse();
    const broken = fakeResponse();

    sut.catch(new HttpException('Unexpected token', 400, { cause: parseError('"text"') }), bare.host);
    sut.catch(new HttpException('Unexpected token', 400, { cause: parseError('{"a":') }), broken.host);

    expect(bare.sent.body).toMatchObject({ code: 'invalid_json', detail: 'request body must be a JSON object' });
    expect(broken.sent.body).toMatchObject({ code: 'invalid_json', detail: 'request body is not valid JSON' });
  });

  it('should say so when a body is not what its Content-Encoding says', () => {
    const { host, sent } = fakeResponse();
    const cause = Object.assign(new Error('incorrect header check'), { status: 400, code: 'Z_DATA_ERROR' });

    sut.catch(new HttpException(cause.message, 400, { cause }), host);

    expect(sent).toMatchObject({
      status: 400,
      body: { code: 'invalid_body', detail: 'request body is not what its Content-Encoding says' },
    });
  });

  it('should treat an insert conflict that reached it as a defect: 500, logged', () => {
    const { host, sent } = fakeResponse();

    sut.catch(new EntityExistsError({ kind: 'Like', name: 'p:u' }), host);

    expect(sent.status).toBe(500);
    expect(lines.map((line) => (JSON.parse(line) as { severity: string }).severity)).toEqual(['ERROR']);
  });

  it('should only end an answer whose headers are out, setting no header (that would throw)', () => {
    const { host, headers, sent } = fakeResponse({ headersSent: true });

    sut.catch(new StoreContentionError(8), host);

    expect(sent).toEqual({ ended: true });
    expect(headers).toEqual({});
  });

  it('should log a request whose client went away at INFO, not as an internal error', () => {
    const { host, sent } = fakeResponse({ socketDestroyed: true });

    sut.catch(new Error('aborted'), host);

    expect(sent).toEqual({});
    expect(lines.map((line) => (JSON.parse(line) as { severity: string }).severity)).toEqual(['INFO']);
  });
});
