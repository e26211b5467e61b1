import { conforms, isNumeric, naming, outOfRange } from './openapi.js';
import type { Call, Endpoint, Expectation, Probe } from './openapi.js';

// Malformed request bodies of one operation: broken JSON, wrong media types and encodings, extra, missing and
// ill-typed fields, each with what its answer must say.

const HUGE_STRING = 'x'.repeat(60_000);
const OVER_BODY_LIMIT = 70_000;

function withField(body: Record<string, unknown>, name: string, rawJson: string): string {
  const fields = Object.entries(body)
    .filter(([key]) => key !== name)
    .map(([key, value]) => `${JSON.stringify(key)}:${JSON.stringify(value)}`);
  return `{${[...fields, `${JSON.stringify(name)}:${rawJson}`].join(',')}}`;
}

function without(body: Record<string, unknown>, name: string): Record<string, unknown> {
  return Object.fromEntries(Object.entries(body).filter(([key]) => key !== name));
}

export function bodyProbes(endpoint: Endpoint, valid: Call): Probe[] {
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
