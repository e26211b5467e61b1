import { readFileSync } from 'node:fs';
import type { OpenAPIObject } from '@nestjs/swagger';

const document = JSON.parse(readFileSync(new URL('../openapi/openapi.json', import.meta.url), 'utf8')) as OpenAPIObject;
const operations = Object.entries(document.paths).flatMap(([path, item]) =>
  (['get', 'put', 'post', 'patch', 'delete'] as const).flatMap((method) => {
    const operation = item[method];
    return operation ? [{ name: `${method.toUpperCase()} ${path}`, operation }] : [];
  }),
);

describe('the OpenAPI document (e2e)', () => {
  it('should name every operation by its handler, once', () => {
    const ids = operations.map(({ operation }) => operation.operationId);

    expect(ids.every((id) => typeof id === 'string' && /^[a-z][A-Za-z]+$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining(['likePost', 'getTimeline', 'createPost', 'updateMe']));
  });

  it('should declare problem details on every error answer of every operation, with 500 and 503 everywhere', () => {
    const missing = operations.flatMap(({ name, operation }) => {
      const errors = Object.entries(operation.responses).filter(([status]) => Number(status) >= 400);
      const untyped = errors.filter(
        ([, response]) =>
          JSON.stringify((response as { content?: unknown }).content) !==
          JSON.stringify({ 'application/problem+json': { schema: { $ref: '#/components/schemas/ProblemDetails' } } }),
      );
      const statuses = errors.map(([status]) => status);
      return [
        ...untyped.map(([status]) => `${name} ${status} has no problem schema`),
        ...['500', '503'].filter((status) => !statuses.includes(status)).map((status) => `${name} lacks ${status}`),
      ];
    });

    expect(missing).toEqual([]);
    expect(document.components?.schemas?.ProblemDetails).toMatchObject({
      required: expect.arrayContaining(['type', 'title', 'status', 'detail', 'code', 'requestId']),
    });
  });
});
