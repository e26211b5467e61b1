import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../server-process.js';

// The operations of openapi/openapi.json as the fuzz test reads them, and values their schemas accept or refuse.

export interface Schema {
  type?: string;
  format?: string;
  pattern?: string;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  default?: unknown;
  example?: unknown;
  nullable?: boolean;
  properties?: Record<string, Schema>;
  required?: string[];
  $ref?: string;
}

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema: Schema;
}

export interface Operation {
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: Schema }> };
}

export interface OpenApi {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

export const METHODS = ['get', 'put', 'post', 'patch', 'delete'] as const;
export type Method = (typeof METHODS)[number];

export interface Endpoint {
  readonly method: Method;
  readonly path: string;
  readonly name: string;
  readonly params: readonly Parameter[];
  readonly bodyName?: string;
  readonly body?: Schema;
}

/** One request: path values and query pairs already URL-encoded, the body as the exact text sent. */
export interface Call {
  readonly path: Readonly<Record<string, string>>;
  readonly query: readonly (readonly [string, string])[];
  readonly body?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** What a malformed request must get: a 4xx whose message matches `says`; 404 only for a well-formed id. */
export interface Expectation {
  readonly says: RegExp;
  readonly status?: number;
  readonly wellFormed?: boolean;
}

export interface Probe {
  readonly endpoint: Endpoint;
  readonly label: string;
  readonly call: Call;
  readonly expect: Expectation;
}

export interface Answer {
  readonly status: number;
  readonly body: { detail?: unknown; code?: unknown; status?: unknown; errors?: unknown; nextCursor?: unknown };
}

const doc = JSON.parse(readFileSync(join(REPO_ROOT, 'openapi/openapi.json'), 'utf8')) as OpenApi;

function resolve(schema: Schema | undefined): { name?: string; schema?: Schema } {
  const name = schema?.$ref?.replace('#/components/schemas/', '');
  return { name, schema: name === undefined ? schema : doc.components.schemas[name] };
}

export const endpoints: Endpoint[] = Object.entries(doc.paths).flatMap(([path, item]) =>
  METHODS.filter((method) => item[method]).map((method): Endpoint => {
    const operation = item[method];
    const body = resolve(operation.requestBody?.content['application/json']?.schema);
    return {
      method,
      path,
      name: `${method.toUpperCase()} ${path}`,
      params: operation.parameters ?? [],
      bodyName: body.name,
      body: body.schema,
    };
  }),
);

/** A field or parameter named as a word in the message (so `id` is not found inside `invalid`). */
export function naming(name: string): RegExp {
  return new RegExp(`(^|[^A-Za-z0-9_])${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}([^A-Za-z0-9_]|$)`);
}

export function decoded(value: string): string | undefined {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}

/** Whether a value satisfies a string schema (pattern, enum, lengths, email format). */
export function conforms(value: unknown, schema: Schema): boolean {
  if (typeof value !== 'string') {
    return false;
  }
  return (
    (schema.pattern === undefined || new RegExp(schema.pattern, 'u').test(value)) &&
    (schema.enum === undefined || schema.enum.includes(value)) &&
    (schema.minLength === undefined || value.length >= schema.minLength) &&
    (schema.maxLength === undefined || value.length <= schema.maxLength) &&
    (schema.format !== 'email' || /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(value))
  );
}

export function isNumeric(schema: Schema): boolean {
  return schema.type === 'number' || schema.type === 'integer';
}

/** A valid value from the schema alone; a field whose rule is a pattern needs a real example instead. */
export function generated(schema: Schema, what: string): unknown {
  if (schema.example !== undefined) {
    return schema.example;
  }
  if (schema.enum) {
    return schema.enum[0];
  }
  if (isNumeric(schema)) {
    return schema.minimum ?? 1;
  }
  if (schema.type === 'boolean') {
    return true;
  }
  if (schema.format === 'email') {
    return 'fuzz@example.com';
  }
  if (schema.format === 'date-time') {
    return '2026-01-01T00:00:00.000Z';
  }
  if (schema.type === 'string' && schema.pattern === undefined) {
    return 'a'.repeat(Math.max(schema.minLength ?? 1, 1));
  }
  throw new Error(`no valid example for ${what}: add one to the fuzz test's examples`);
}

/** A value of a path parameter's schema that names nothing stored (an id nobody has). */
export function unknownValue(schema: Schema): string {
  if (schema.pattern?.includes('\\.\\d{13}')) {
    return '0f-0000000000001-0000000f.0000000000001000000ff';
  }
  if (schema.pattern?.includes('\\d{13}')) {
    return '0f-0000000000001-0000000f';
  }
  // A hashtag allows no '-'.
  return conforms('nobody-here', schema) ? 'nobody-here' : 'nobody_here';
}

/** A number a numeric schema refuses; anything from 1e12 up counts as refused, as no count or size gets there. */
export function outOfRange(raw: string, schema: Schema): boolean {
  const value = Number(raw);
  return (
    !Number.isFinite(value) ||
    Math.abs(value) >= 1e12 ||
    value < (schema.minimum ?? -Infinity) ||
    value > (schema.maximum ?? Infinity) ||
    (schema.type === 'integer' && !Number.isInteger(value))
  );
}

/** A schema value (default, example) as it goes into a URL. */
export function text(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * Known values for what a schema alone cannot make valid: path template (`/v1/users/{id}/block`) or the segment before
 * the parameter (`users`) -> stored id, `Schema.field` -> value.
 */
export interface Fixtures {
  readonly pathValues: Readonly<Record<string, string>>;
  readonly examples: Readonly<Record<string, unknown>>;
}

/** A request to `endpoint` that succeeds: path ids of stored objects, required query values, a valid body. */
export function validCall(endpoint: Endpoint, { pathValues, examples }: Fixtures): Call {
  const path = Object.fromEntries(
    endpoint.params
      .filter((param) => param.in === 'path')
      .map((param) => {
        const segment = endpoint.path.split('/').at(endpoint.path.split('/').indexOf(`{${param.name}}`) - 1)!;
        const known = pathValues[endpoint.path] ?? pathValues[segment];
        return [param.name, encodeURIComponent(known ?? text(generated(param.schema, param.name)))];
      }),
  );
  const query = endpoint.params
    .filter((param) => param.in === 'query' && param.required)
    .map((param) => [param.name, text(param.schema.default ?? generated(param.schema, param.name))] as const);
  const body = endpoint.body
    ? Object.fromEntries(
        Object.entries(endpoint.body.properties ?? {}).map(([name, schema]) => {
          const key = `${endpoint.bodyName}.${name}`;
          return [name, key in examples ? examples[key] : generated(schema, key)];
        }),
      )
    : undefined;
  return { path, query, body: body && JSON.stringify(body) };
}
