import { randomBytes } from 'node:crypto';
import { b64 } from '../probe-server.js';
import { conforms, decoded, isNumeric, naming, outOfRange, text, unknownValue } from './openapi.js';
import type { Call, Endpoint, Probe } from './openapi.js';

// Malformed path and query parameters of one operation, each with what its answer must say.

export function pathProbes(endpoint: Endpoint, valid: Call): Probe[] {
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
export function garbageCursors(own: string | undefined, foreign: ReadonlyMap<string, string>): [string, string][] {
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

export function queryProbes(endpoint: Endpoint, valid: Call, cursors: ReadonlyMap<string, string>): Probe[] {
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
