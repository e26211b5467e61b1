import type { Answer, Expectation } from './openapi.js';

// Whether the answer to a malformed request is the right one.

function messageOf(answer: Answer): string | undefined {
  const { message } = answer.body;
  if (typeof message === 'string') {
    return message;
  }
  return Array.isArray(message) && message.every((line) => typeof line === 'string') ? message.join('; ') : undefined;
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
    return 'no JSON message';
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
  `${answer.status} ${JSON.stringify(answer.body.message ?? answer.body)}`;
