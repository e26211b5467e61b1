import type { Answer, Expectation } from './openapi.js';

// Whether the answer to a malformed request is the right one.

/** The text of a problem-details answer (its detail and every field error), undefined for anything else. */
function messageOf(answer: Answer): string | undefined {
  const { detail, code, status, errors = [] } = answer.body;
  if (typeof detail !== 'string' || typeof code !== 'string' || status !== answer.status || !Array.isArray(errors)) {
    return undefined;
  }
  return [detail, ...errors.map((error: { message?: unknown }) => String(error.message))].join('; ');
}

/** Why an answer is wrong for a malformed request, or undefined when it is right. */
export function verdict(answer: Answer, expect: Expectation): string | undefined {
  const message = messageOf(answer);
  if (answer.status >= 500) {
    return 'server error';
  }
  if (answer.status < 400) {
    return expect.wellFormed ? undefined : 'accepted';
  }
  if ([401, 403, 429].includes(answer.status)) {
    return 'refused a valid token instead of the input';
  }
  if (message === undefined) {
    return 'no problem details';
  }
  if (answer.status === 404) {
    return expect.wellFormed && /not found/.test(message) ? undefined : '404 for a malformed value';
  }
  if (expect.status !== undefined && answer.status !== expect.status) {
    return `expected ${expect.status}`;
  }
  return expect.says.test(message) ? undefined : `message does not match ${String(expect.says)}`;
}

export const describeAnswer = (answer: Answer) =>
  `${answer.status} ${JSON.stringify(answer.body.detail ?? answer.body)}`;
