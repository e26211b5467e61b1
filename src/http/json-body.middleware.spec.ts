import { duplicateKey, jsonBodyProblem, MAX_BODY_DEPTH, queryProblem } from './json-body.middleware.js';

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

  it('should refuse hidden keys at any depth, in bodies and in queries', () => {
    expect(jsonBodyProblem(JSON.parse('{"media":[{"uploadId":"a","__proto__":{"x":1}}]}'))).toBe(
      'property __proto__ should not exist',
    );
    expect(queryProblem(JSON.parse('{"limit":"1","__proto__":"1"}'))).toBe('property __proto__ should not exist');
    expect(queryProblem({ limit: '1', prototype: '1' })).toBe('property prototype should not exist');
    expect(queryProblem({ limit: '1' })).toBeUndefined();
  });

  it('should find a key given twice in one object, and only then', () => {
    expect(duplicateKey('{"bio":"a","bio":"b"}')).toBe('bio');
    expect(duplicateKey('{"a":{"x":1},"b":{"x":2}}')).toBeUndefined();
    expect(duplicateKey('{"a":[{"x":1},{"x":2}],"c":"\\"x\\":"}')).toBeUndefined();
    expect(duplicateKey('{"a":{"x":1,"y":{"z":1},"x" : 2}}')).toBe('x');
    expect(duplicateKey('{"\\u0062io":"a","bio":"b"}')).toBe('bio');
    expect(duplicateKey('{"t":"a\\"b","t":"c"}')).toBe('t');
    expect(jsonBodyProblem({ bio: 'b' }, '{"bio":"a","bio":"b"}')).toBe('property bio appears more than once');
  });
});
