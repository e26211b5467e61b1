import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { signIn, type SignedIn } from './support/app.js';
import { pool } from './support/pool.js';
import { publishPost, uploadImage } from './support/posts.js';
import { REPO_ROOT, spawnServer, type ServerProcess, UNLIMITED_RATES } from './support/server-process.js';

interface Schema {
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

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema: Schema;
}

interface Operation {
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: Schema }> };
}

interface OpenApi {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

const METHODS = ['get', 'put', 'post', 'patch', 'delete'] as const;
type Method = (typeof METHODS)[number];

interface Endpoint {
  readonly method: Method;
  readonly path: string;
  readonly name: string;
  readonly params: readonly Parameter[];
  readonly bodyName?: string;
  readonly body?: Schema;
}

/** One request: path values and query pairs already URL-encoded, the body as the exact text sent. */
interface Call {
  readonly path: Readonly<Record<string, string>>;
  readonly query: readonly (readonly [string, string])[];
  readonly body?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** What a malformed request must get: a 4xx whose message matches `says`; 404 only for a well-formed id. */
interface Expectation {
  readonly says: RegExp;
  readonly status?: number;
  readonly wellFormed?: boolean;
}

interface Probe {
  readonly endpoint: Endpoint;
  readonly label: string;
  readonly call: Call;
  readonly expect: Expectation;
}

interface Answer {
  readonly status: number;
  readonly body: { detail?: unknown; code?: unknown; status?: unknown; errors?: unknown; nextCursor?: unknown };
}

const CONCURRENCY = 20;
const HUGE_STRING = 'x'.repeat(60_000);
const OVER_BODY_LIMIT = 70_000;

const doc = JSON.parse(readFileSync(join(REPO_ROOT, 'openapi/openapi.json'), 'utf8')) as OpenApi;

function resolve(schema: Schema | undefined): { name?: string; schema?: Schema } {
  const name = schema?.$ref?.replace('#/components/schemas/', '');
  return { name, schema: name === undefined ? schema : doc.components.schemas[name] };
}

const endpoints: Endpoint[] = Object.entries(doc.paths).flatMap(([path, item]) =>
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
function naming(name: string): RegExp {
  return new RegExp(`(^|[^A-Za-z0-9_])${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}([^A-Za-z0-9_]|$)`);
}

function decoded(value: string): string | undefined {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}

/** Whether a value satisfies a string schema (pattern, enum, lengths, email format). */
function conforms(value: unknown, schema: Schema): boolean {
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

function isNumeric(schema: Schema): boolean {
  return schema.type === 'number' || schema.type === 'integer';
}

/** A valid value from the schema alone; a field whose rule is a pattern needs a real example instead. */
function generated(schema: Schema, what: string): unknown {
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
  if (schema.type === 'string' && schema.pattern === undefined) {
    return 'a'.repeat(Math.max(schema.minLength ?? 1, 1));
  }
  throw new Error(`no valid example for ${what}: add one to the fuzz test's examples`);
}

/** A value of a path parameter's schema that names nothing stored (an id nobody has). */
function unknownValue(schema: Schema): string {
  return schema.pattern?.includes('\\d{13}') ? '0f-0000000000001-0000000f' : 'nobody-here';
}

function withField(body: Record<string, unknown>, name: string, rawJson: string): string {
  const fields = Object.entries(body)
    .filter(([key]) => key !== name)
    .map(([key, value]) => `${JSON.stringify(key)}:${JSON.stringify(value)}`);
  return `{${[...fields, `${JSON.stringify(name)}:${rawJson}`].join(',')}}`;
}

function without(body: Record<string, unknown>, name: string): Record<string, unknown> {
  return Object.fromEntries(Object.entries(body).filter(([key]) => key !== name));
}

/** A number a numeric schema refuses; anything from 1e12 up counts as refused, as no count or size gets there. */
function outOfRange(raw: string, schema: Schema): boolean {
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
function text(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** The text of a problem-details answer (its detail and every field error), undefined for anything else. */
function messageOf(answer: Answer): string | undefined {
  const { detail, code, status, errors = [] } = answer.body;
  if (typeof detail !== 'string' || typeof code !== 'string' || status !== answer.status || !Array.isArray(errors)) {
    return undefined;
  }
  return [detail, ...errors.map((error: { message?: unknown }) => String(error.message))].join('; ');
}

/** Why an answer is wrong for a malformed request, or undefined when it is right. */
function verdict(answer: Answer, expect: Expectation): string | undefined {
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

describe('malformed input on every operation of openapi/openapi.json, against a server process (e2e)', () => {
  let sut: ServerProcess;
  let ann: SignedIn;
  let pathValues: Record<string, string>;
  let examples: Record<string, unknown>;

  beforeAll(async () => {
    sut = await spawnServer({
      STORE: 'memory',
      ...UNLIMITED_RATES,
    });
    const http = () => request(sut.baseUrl);
    let bob: SignedIn;
    let cat: SignedIn;
    [ann, bob, cat] = await Promise.all(
      ['ann', 'bob', 'cat'].map((name) => signIn(sut.baseUrl, `${name}@example.com`)),
    );
    // Every list has a second page: bob has two posts, two followers and two followees; ann's post has two likers.
    const [annPost, upload] = await Promise.all([
      publishPost(sut.baseUrl, ann),
      uploadImage(sut.baseUrl, ann),
      publishPost(sut.baseUrl, bob),
      publishPost(sut.baseUrl, bob),
    ]);
    const put = (user: SignedIn, path: string) => http().put(path).set('Authorization', user.auth).expect(200);
    await Promise.all([
      put(ann, `/v1/users/${bob.id}/follow`),
      put(cat, `/v1/users/${bob.id}/follow`),
      put(bob, `/v1/users/${ann.id}/follow`),
      put(bob, `/v1/users/${cat.id}/follow`),
      put(bob, `/v1/posts/${annPost.id}/like`),
      put(cat, `/v1/posts/${annPost.id}/like`),
    ]);
    const profile = await http().get(`/v1/users/${bob.id}`).set('Authorization', ann.auth).expect(200);
    // A path parameter's valid value comes from the path segment before it: /users/{id}, /posts/{id}, ...
    pathValues = { users: bob.id, posts: annPost.id, 'by-username': (profile.body as { username: string }).username };
    examples = { 'CreatePostRequest.uploadId': upload.uploadId, 'UpdateMeRequest.username': 'ann_fuzz' };
  }, 60_000);

  afterAll(async () => {
    sut?.child.kill('SIGTERM');
    await sut?.exited;
  });

  /** After every case: the process still runs and answers. */
  async function alive(): Promise<boolean> {
    return sut.child.exitCode === null && (await request(sut.baseUrl).get('/healthz')).status === 200;
  }

  async function send(endpoint: Endpoint, call: Call): Promise<Answer> {
    const path = endpoint.path.replace(/\{(\w+)\}/g, (_, name: string) => call.path[name]);
    const query = call.query.map(([name, value]) => `${name}=${value}`).join('&');
    let req = request(sut.baseUrl)
      [endpoint.method](query === '' ? path : `${path}?${query}`)
      .set('Authorization', ann.auth);
    if (call.body !== undefined) {
      req = req.set('Content-Type', 'application/json');
    }
    req = req.set({ ...call.headers });
    const res = await (call.body === undefined ? req : req.send(call.body));
    return { status: res.status, body: (res.body ?? {}) as Answer['body'] };
  }

  function validCall(endpoint: Endpoint): Call {
    const path = Object.fromEntries(
      endpoint.params
        .filter((param) => param.in === 'path')
        .map((param) => {
          const segment = endpoint.path.split('/').at(endpoint.path.split('/').indexOf(`{${param.name}}`) - 1)!;
          return [param.name, encodeURIComponent(pathValues[segment] ?? text(generated(param.schema, param.name)))];
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

  function pathProbes(endpoint: Endpoint, valid: Call): Probe[] {
    return endpoint.params
      .filter((param) => param.in === 'path')
      .flatMap((param) => {
        const good = valid.path[param.name];
        const values = [
          'a%2Fb',
          '..%2F..%2Fetc%2Fpasswd',
          `${good}%2F..`,
          encodeURIComponent('пост'),
          encodeURIComponent('😀'),
          encodeURIComponent('<script>alert(1)</script>'),
          'x'.repeat(5_000),
          '%20',
          '%00',
          '%E0%A4%A',
          '0',
          '-1',
          'null',
          'undefined',
          `${good}x`,
          '__proto__',
          '__key__',
          '__fuzz__',
          'constructor',
        ];
        return values.map((value) => ({
          endpoint,
          label: `path ${param.name}=${value.length > 40 ? `${value.length} chars` : value}`,
          call: { ...valid, path: { ...valid.path, [param.name]: value } },
          expect:
            decoded(value) === undefined
              ? { says: /is not valid percent-encoding/ }
              : { says: naming(param.name), wellFormed: conforms(decoded(value), param.schema) },
        }));
      });
  }

  /** Cursors that are not a `nextCursor` of this list: made up, tampered with, or another list's. */
  function garbageCursors(own: string | undefined, foreign: ReadonlyMap<string, string>): [string, string][] {
    const state = own && (JSON.parse(Buffer.from(own, 'base64url').toString()) as Record<string, unknown>);
    const tampered: [string, unknown][] = state
      ? [
          ['store cut', { ...state, store: `${String(state.store).slice(0, -3)}AAA` }],
          ['store grown', { ...state, store: `${String(state.store)}AAAA` }],
          ['last garbage', { ...state, last: 'garbage' }],
          ['last long', { ...state, last: 'x'.repeat(1_000) }],
          ['last number', { ...state, last: 5 }],
          ['check gone', { store: state.store, last: state.last }],
          ['extra field', { ...state, extra: true }],
        ]
      : [];
    return [
      ['AAAA', 'AAAA'],
      ['random base64url', randomBytes(48).toString('base64url')],
      ...(
        [
          ['{}', {}],
          ['[]', []],
          ['null', null],
          ['"store"', 'store'],
          ['{store: 1}', { store: 1 }],
          ['{store: ""}', { store: '' }],
          ['{store: "garbage"}', { store: 'garbage' }],
          ['{store: random}', { store: randomBytes(24).toString('base64url') }],
          ['{store, last: 7}', { store: 'AAAA', last: 7 }],
          ...tampered,
        ] as [string, unknown][]
      ).map(([label, value]): [string, string] => [label, b64(value)]),
      ...[...foreign].map(([name, cursor]): [string, string] => [`from ${name}`, cursor]),
    ];
  }

  function queryProbes(endpoint: Endpoint, valid: Call, cursors: ReadonlyMap<string, string>): Probe[] {
    const params = endpoint.params.filter((param) => param.in === 'query');
    if (params.length === 0) {
      return [];
    }
    const probe = (label: string, query: Call['query'], says: RegExp): Probe => ({
      endpoint,
      label: `query ${label}`,
      call: { ...valid, query },
      expect: { says },
    });
    const extra = probe('fuzzExtra=1', [...valid.query, ['fuzzExtra', '1']], naming('fuzzExtra'));
    const hidden = ['__proto__', 'constructor', 'prototype'].map((name) =>
      probe(`${name}=1`, [...valid.query, [name, '1']], naming(name)),
    );
    // An unknown (well-formed) id together with a bad cursor or limit: whichever is checked first, one clean 4xx.
    const unknownIds: Probe[] = endpoint.params
      .filter((param) => param.in === 'path')
      .flatMap((param) =>
        (
          [
            ['cursor', 'AAAA'],
            ['cursor', b64({ store: 'AAAA', check: 'x' })],
            ['limit', '0'],
            ['limit', 'abc'],
          ] as const
        ).map(([name, value]): Probe => ({
          endpoint,
          label: `unknown ${param.name} with ${name}=${value}`,
          call: { ...valid, path: { ...valid.path, [param.name]: unknownValue(param.schema) }, query: [[name, value]] },
          expect: { says: /cursor|limit|not found/, wellFormed: true },
        })),
      )
      .filter((item) => params.some((param) => param.name === item.call.query[0][0]));
    return [
      extra,
      ...hidden,
      ...unknownIds,
      ...params.flatMap((param) => {
        const others = valid.query.filter(([name]) => name !== param.name);
        const good =
          valid.query.find(([name]) => name === param.name)?.[1] ??
          (param.schema.default === undefined ? cursors.get(endpoint.name) : text(param.schema.default));
        const { minimum, maximum, maxLength } = param.schema;
        const set = (label: string, ...values: string[]) =>
          probe(
            `${param.name}=${label}`,
            [...others, ...values.map((value) => [param.name, value] as const)],
            naming(param.name),
          );
        const plain = (value: string): [string, string] => [value.length > 40 ? `${value.length} chars` : value, value];
        const values: [string, string][] = isNumeric(param.schema)
          ? [
              '',
              'abc',
              'NaN',
              'Infinity',
              '-Infinity',
              'true',
              'null',
              '-1',
              '1e12',
              '99999999999999999999',
              ...(param.schema.type === 'integer' ? ['1.5'] : []),
              ...(minimum === undefined ? [] : [String(minimum - 1)]),
              ...(maximum === undefined ? [] : [String(maximum + 1)]),
              'x'.repeat(10_000),
            ]
              .filter((value) => value === '' || outOfRange(value, param.schema))
              .map(plain)
          : [
              ...[
                '',
                'a%2Fb',
                '..%2F..%2Fetc',
                encodeURIComponent('пост'),
                encodeURIComponent('😀'),
                '%20',
                '%00',
                'x'.repeat(Math.min((maxLength ?? 10_000) + 1, 10_000)),
                'x'.repeat(10_000),
              ]
                .filter((value) => !conforms(decoded(value), param.schema))
                .map(plain),
              ...(param.name === 'cursor'
                ? garbageCursors(
                    cursors.get(endpoint.name),
                    new Map([...cursors].filter(([name]) => name !== endpoint.name)),
                  )
                : []),
            ];
        return [
          ...(param.required && param.schema.default === undefined ? [set('(missing)')] : []),
          ...values.map(([label, value]) => set(label, value)),
          ...(good === undefined ? [] : [set(`${good.slice(0, 20)} twice`, good, good)]),
          probe(`${param.name}[a]=1`, [...others, [`${param.name}[a]`, '1']], naming(param.name)),
        ];
      }),
    ];
  }

  function bodyProbes(endpoint: Endpoint, valid: Call): Probe[] {
    const json = valid.body;
    if (!endpoint.body || json === undefined) {
      return [];
    }
    const base = JSON.parse(json) as Record<string, unknown>;
    const probe = (label: string, body: string, expect: Expectation, headers?: Record<string, string>): Probe => ({
      endpoint,
      label: `body ${label}`,
      call: { ...valid, body, headers },
      expect,
    });
    const whole: Probe[] = [
      ...['{"broken":', '{', "{'single': 1}", '{"a":1,}', 'undefined', 'NaN', '\u0000'].map((text) =>
        probe(JSON.stringify(text), text, { status: 400, says: /request body is not valid JSON/ }),
      ),
      ...['[]', `[${json}]`, '"text"', '42', 'null', 'true'].map((text) =>
        probe(text.slice(0, 40), text, { status: 400, says: /request body must be a JSON object/ }),
      ),
      ...[
        'text/plain',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=fuzz',
        'application/xml',
        'application/octet-stream',
        'image/jpeg',
      ].map((type) =>
        probe(
          `as ${type}`,
          json,
          { status: 415, says: new RegExp(`application/json, got ${type.split(';')[0]}`) },
          { 'Content-Type': type },
        ),
      ),
      probe(
        'in charset latin1',
        json,
        { status: 415, says: /charset/ },
        {
          'Content-Type': 'application/json; charset=latin1',
        },
      ),
      probe('said to be gzip', json, { status: 400, says: /Content-Encoding/ }, { 'Content-Encoding': 'gzip' }),
      probe(
        'in Content-Encoding compress',
        json,
        { status: 415, says: /encoding/ },
        {
          'Content-Encoding': 'compress',
        },
      ),
      probe('over 64 KB', JSON.stringify({ ...base, padding: 'x'.repeat(OVER_BODY_LIMIT) }), {
        status: 413,
        says: /request body is too large/,
      }),
    ];
    const [firstField] = Object.keys(base);
    const duplicated =
      firstField === undefined
        ? []
        : [
            probe(`${firstField} twice`, `{${JSON.stringify(firstField)}:null,${json.slice(1)}`, {
              status: 400,
              says: new RegExp(`${firstField} appears more than once`),
            }),
          ];
    const extras = [
      ...duplicated,
      probe('nested __proto__', withField(base, 'fuzzNested', '{"a":{"__proto__":{"admin":true}}}'), {
        says: /fuzzNested|__proto__/,
      }),
      probe('extra fuzzExtra', JSON.stringify({ ...base, fuzzExtra: 1 }), { says: naming('fuzzExtra') }),
      probe('extra __proto__', withField(base, '__proto__', '{"admin":true}'), { says: naming('__proto__') }),
      probe('extra constructor', withField(base, 'constructor', '{"name":"x"}'), { says: naming('constructor') }),
      probe('extra deep nesting', withField(base, 'fuzzDeep', `${'['.repeat(5_000)}${']'.repeat(5_000)}`), {
        says: naming('fuzzDeep'),
      }),
    ];
    const fields = Object.entries(endpoint.body.properties ?? {}).flatMap(([name, schema]) => {
      const says = naming(name);
      const field = (label: string, rawJson: string) =>
        probe(`${name}=${label.slice(0, 40)}`, withField(base, name, rawJson), { says });
      const wrongTypes: unknown[] = [
        ...(schema.type === 'string' ? [] : ['fuzz', '12']),
        ...(isNumeric(schema) ? [] : [42]),
        ...(schema.type === 'boolean' ? [] : [true]),
        {},
        [],
        ['fuzz'],
        ...(schema.nullable ? [] : [null]),
      ];
      const badStrings =
        schema.type === 'string'
          ? [
              '',
              'a/b',
              '../../etc/passwd',
              'пост 😀',
              ' ',
              ...(schema.maxLength === undefined ? [] : ['x'.repeat(schema.maxLength + 1)]),
              HUGE_STRING,
            ].filter((value) => !conforms(value, schema))
          : [];
      const badNumbers = isNumeric(schema)
        ? [
            '-1',
            '-0',
            '1e12',
            '99999999999999999999',
            '1e400',
            ...(schema.type === 'integer' ? ['1.5'] : []),
            ...(schema.minimum === undefined ? [] : [String(schema.minimum - 1)]),
            ...(schema.maximum === undefined ? [] : [String(schema.maximum + 1)]),
          ].filter((raw) => outOfRange(raw, schema))
        : [];
      return [
        ...(endpoint.body!.required?.includes(name)
          ? [probe(`${name} missing`, JSON.stringify(without(base, name)), { says })]
          : []),
        ...wrongTypes.map((value) => field(JSON.stringify(value), JSON.stringify(value))),
        ...badStrings.map((value) => field(JSON.stringify(value), JSON.stringify(value))),
        ...badNumbers.map((raw) => field(raw, raw)),
      ];
    });
    return [...whole, ...extras, ...fields];
  }

  const describeAnswer = (answer: Answer) => `${answer.status} ${JSON.stringify(answer.body.detail ?? answer.body)}`;

  it('should answer every malformed body and parameter with a 4xx naming the problem, and never a 5xx', async () => {
    const failures: string[] = [];
    const valid = new Map(endpoints.map((endpoint) => [endpoint, validCall(endpoint)]));
    for (const endpoint of endpoints) {
      for (const param of endpoint.params.filter((p) => p.in === 'path')) {
        if (param.schema.pattern === undefined && param.schema.enum === undefined && !isNumeric(param.schema)) {
          failures.push(`${endpoint.name}: the document gives path parameter ${param.name} no pattern`);
        }
      }
    }

    // A valid request to each operation succeeds, so the malformed ones below reach real objects.
    const deletes = endpoints.filter((endpoint) => endpoint.method === 'delete');
    const others = endpoints.filter((endpoint) => endpoint.method !== 'delete');
    const baselines = await pool(others, CONCURRENCY, (endpoint) => send(endpoint, valid.get(endpoint)!));
    baselines.forEach((answer, i) => {
      if (answer.status >= 300) {
        failures.push(`${others[i].name} valid request -> ${describeAnswer(answer)}`);
      }
    });

    // A real cursor of each list, for tampering with and for feeding to the other lists.
    const lists = endpoints.filter((endpoint) => endpoint.params.some((param) => param.name === 'cursor'));
    const firstPages = await pool(lists, CONCURRENCY, (endpoint) => {
      const call = valid.get(endpoint)!;
      const smallest = endpoint.params
        .filter((param) => param.in === 'query' && isNumeric(param.schema) && param.schema.minimum !== undefined)
        .map((param) => [param.name, String(param.schema.minimum)] as const);
      return send(endpoint, {
        ...call,
        query: [...call.query.filter(([n]) => !smallest.some(([m]) => m === n)), ...smallest],
      });
    });
    const cursors = new Map(
      lists.flatMap((endpoint, i) => {
        const cursor = firstPages[i].body.nextCursor;
        if (typeof cursor !== 'string') {
          failures.push(`${endpoint.name}: the fixtures give it no second page, so no real cursor to tamper with`);
          return [];
        }
        return [[endpoint.name, cursor] as const];
      }),
    );
    const secondPages = await pool([...cursors], CONCURRENCY, ([name, cursor]) => {
      const endpoint = lists.find((list) => list.name === name)!;
      const call = valid.get(endpoint)!;
      return send(endpoint, { ...call, query: [...call.query, ['cursor', cursor]] });
    });
    secondPages.forEach((answer, i) => {
      if (answer.status !== 200) {
        failures.push(`${[...cursors.keys()][i]} with its own cursor -> ${describeAnswer(answer)}`);
      }
    });

    const probes = endpoints.flatMap((endpoint) => {
      const call = valid.get(endpoint)!;
      return [...pathProbes(endpoint, call), ...queryProbes(endpoint, call, cursors), ...bodyProbes(endpoint, call)];
    });
    let dead = 0;
    const answers = await pool(probes, CONCURRENCY, async (probe) => {
      const answer = await send(probe.endpoint, probe.call);
      if (!(await alive())) {
        dead += 1;
        failures.push(`${probe.endpoint.name} ${probe.label}: the process is not answering afterwards`);
      }
      return answer;
    });
    const statuses: Record<number, number> = {};
    answers.forEach((answer, i) => {
      statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
      const problem = verdict(answer, probes[i].expect);
      if (problem !== undefined) {
        failures.push(
          `${probes[i].endpoint.name} ${probes[i].label} -> ${describeAnswer(answer).slice(0, 300)}: ${problem}`,
        );
      }
    });

    // Deletes last, deepest path first (the like before the post), once nothing else needs their objects.
    deletes.sort((a, b) => b.path.split('/').length - a.path.split('/').length);
    for (const endpoint of deletes) {
      const answer = await send(endpoint, valid.get(endpoint)!);
      if (answer.status >= 300) {
        failures.push(`${endpoint.name} valid request -> ${describeAnswer(answer)}`);
      }
    }

    const serverErrors = answers.filter((answer) => answer.status >= 500).length;
    const counts = Object.entries(statuses)
      .map(([status, count]) => `${status}: ${count}`)
      .join(', ');
    process.stdout.write(
      `fuzz: ${endpoints.length} endpoints, ${probes.length} malformed requests, statuses {${counts}}, ` +
        `${serverErrors} 5xx; ${cursors.size} real cursors replayed across lists\n`,
    );
    expect(failures).toEqual([]);
    expect(serverErrors).toBe(0);
    expect(dead).toBe(0);
    expect(sut.child.exitCode).toBeNull();
  }, 120_000);
});
