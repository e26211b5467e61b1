import type { Response } from 'supertest';
import type { ErrorCode } from '../../src/common/errors.js';

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  requestId: string;
  errors?: { field: string; message: string }[];
}

/**
 * Asserts that an answer is RFC 9457 problem details as every error of the API must be: the media type, each member
 * and its type, the status in the body equal to the answer's, the type URN naming the code, and the request id
 * equal to the X-Request-Id header. Returns the body for further checks.
 */
export function expectProblem(res: Response, status: number, code?: ErrorCode | string): ProblemBody {
  expect([res.status, res.headers['content-type']]).toEqual([
    status,
    expect.stringMatching(/^application\/problem\+json/),
  ]);
  const body = res.body as ProblemBody;
  expect(body).toEqual({
    type: `urn:picfeed:problem:${body.code}`,
    title: expect.any(String),
    status,
    detail: expect.any(String),
    code: code ?? expect.stringMatching(/^[a-z_]+$/),
    requestId: res.headers['x-request-id'],
    ...(body.errors !== undefined && {
      errors: body.errors.map(() => ({ field: expect.any(String), message: expect.any(String) })),
    }),
  });
  return body;
}

/** The messages of a validation failure's field errors, in order. */
export function fieldMessages(res: Response): string[] {
  return expectProblem(res, 400, 'validation_failed').errors?.map((error) => error.message) ?? [];
}
