import { jsonBodyProblem, MAX_BODY_DEPTH } from './json-body.middleware.js';

describe('jsonBodyProblem', () => {
  const nested = (levels: number): unknown => (levels === 0 ? 1 : [nested(levels - 1)]);

  it('should let a plain object with ordinary nesting through', () => {
    expect(jsonBodyProblem({ caption: 'hi', tags: [['a']], deep: nested(MAX_BODY_DEPTH - 2) })).toBeUndefined();
  });

  it('should refuse a body that is not a JSON object', () => {
    for (const body of [[], [{ caption: 'hi' }], 'text', 42, null, true]) {
      expect(jsonBodyProblem(body)).toBe('request body must be a JSON object');
    }
  });

  it('should refuse the keys validation never sees, naming them', () => {
    expect(jsonBodyProblem(JSON.parse('{"caption":"hi","__proto__":{"admin":true}}'))).toBe(
      'property __proto__ should not exist',
    );
    expect(jsonBodyProblem({ constructor: { name: 'x' } })).toBe('property constructor should not exist');
  });

  it('should refuse a field nested past the limit, naming it, without recursing itself', () => {
    expect(jsonBodyProblem({ caption: nested(MAX_BODY_DEPTH) })).toBe(
      `caption is nested more than ${MAX_BODY_DEPTH} levels deep`,
    );
    expect(jsonBodyProblem(JSON.parse(`{"x":${'['.repeat(50_000)}${']'.repeat(50_000)}}`))).toMatch(/^x is nested/);
  });
});
