// The bad requests sent to one route: token problems, unparsable and mis-shaped bodies, wrong
// field types and missing fields (from the spec's request schema), oversized bodies, invalid
// path parameters and mistyped query parameters, and on authenticated routes a bad token
// together with a bad request (the token is checked first, as in Synapse: 401, not 400); bodies
// nested 100 to 100,000 levels deep, bytes that are not UTF-8 in a string and in a key, and path
// parameters whose percent-encoding does not decode.
// Each case says which answers are acceptable.
import type { RegisteredRoute } from './monolith.ts';
import type { RequestSpec } from './request-spec.ts';

export type CaseKind =
  | 'no-token'
  | 'bad-token'
  | 'no-token-malformed'
  | 'bad-token-mistyped'
  | 'malformed-json'
  | 'non-object-body'
  | 'wrong-field-type'
  | 'missing-field'
  | 'oversized-body'
  | 'nul-in-body'
  | 'bad-path-param'
  | 'bad-query'
  | 'missing-query'
  | 'deep-nesting'
  | 'invalid-utf8'
  | 'bad-percent-encoding';

export const CASE_KINDS: readonly CaseKind[] = [
  'no-token', 'bad-token', 'no-token-malformed', 'bad-token-mistyped', 'malformed-json', 'non-object-body', 'wrong-field-type', 'missing-field', 'oversized-body',
  'nul-in-body', 'bad-path-param', 'bad-query', 'missing-query', 'deep-nesting', 'invalid-utf8', 'bad-percent-encoding',
];

export interface BadCase {
  readonly kind: CaseKind;
  /** What was wrong, for failure messages (`field "visibility" as 12345`). */
  readonly detail: string;
  readonly method: string;
  /** Path and query string, already URL-encoded. */
  readonly url: string;
  readonly token: 'none' | 'invalid' | 'valid';
  /** Raw request body (text, or bytes that need not be UTF-8); undefined sends none. */
  readonly body?: string | Uint8Array;
  /** Acceptable statuses; undefined means any status below 500. */
  readonly statuses?: readonly number[];
  /** Acceptable errcodes when the answer is an error. Default: any `M_...`. */
  readonly errcodes?: readonly string[];
}

/** Values of path parameters that exist on the server (a room, an event, the user, ...). */
export type ValidParams = Readonly<Record<string, string>>;

export interface BuildCasesOptions {
  /** Largest body the server accepts. Default: 1 MiB. */
  readonly bodyLimit?: number;
  /** The route needs an access token (its route table entry says `required`). Default: false. */
  readonly authRequired?: boolean;
  /**
   * The body is raw bytes, not JSON (media uploads): any content is valid, so only token
   * problems and a body over `bodyLimit` are bad. Default: false.
   */
  readonly rawBody?: boolean;
}

const ID_PARAMS = new Set(['roomId', 'userId', 'eventId', 'roomAlias', 'roomIdOrAlias']);
const SIGILS: Record<string, string> = { roomId: '!', userId: '@', eventId: '$', roomAlias: '#', roomIdOrAlias: '!' };
const CLIENT_ERRORS = [400, 401, 403, 404, 405, 409, 413, 429];

function pathParams(url: string): string[] {
  return url.split('/').filter((p) => p.startsWith(':')).map((p) => p.slice(1));
}

export function fillPath(url: string, values: Readonly<Record<string, string>>): string {
  return url.split('/').map((part) => (part.startsWith(':') ? (values[part.slice(1)] ?? encodeURIComponent(`unknown-${part.slice(1)}`)) : part)).join('/');
}

function wrongValue(type: string | undefined): unknown {
  switch (type) {
    case 'string': return 12345;
    case 'integer':
    case 'number': return 'not-a-number';
    case 'boolean': return 'yes';
    case 'array': return 'not-an-array';
    case 'object': return ['not', 'an', 'object'];
    default: return undefined;
  }
}

/** Routes whose room ID is an opaque key: server-side key backup keeps any non-empty string, as Synapse does. */
const OPAQUE_ROOM_ID_ROUTES = /\/room_keys\/keys\//;

function invalidPathValues(name: string, url: string): Array<{ detail: string; raw: string }> {
  const values = [{ detail: 'NUL byte', raw: '%00' }];
  if (!ID_PARAMS.has(name) || (name === 'roomId' && OPAQUE_ROOM_ID_ROUTES.test(url))) return values;
  const sigil = SIGILS[name] ?? '';
  return [
    { detail: '"not-an-id"', raw: 'not-an-id' },
    ...values,
    { detail: '300 characters', raw: 'x'.repeat(300) },
    { detail: `300-character ${sigil}id`, raw: encodeURIComponent(`${sigil}${'a'.repeat(300)}:test.local`) },
    { detail: '"@x:"', raw: encodeURIComponent('@x:') },
  ];
}

/** Nesting depths of the deep-body cases: within the server's limit, just past it, and far past it. */
export const DEEP_BODY_DEPTHS = [100, 1_001, 100_000] as const;
const DEEPEST_ACCEPTED = 1_000;
const deepValues = new Map<number, string>();

/** `{"a":{"a":...1}}` nested `depth` levels, as text (built once per depth). */
function deepValue(depth: number): string {
  let text = deepValues.get(depth);
  if (text === undefined) {
    text = `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
    deepValues.set(depth, text);
  }
  return text;
}

/** The example body with a member `x` nested so that the whole body is `depth` levels deep. */
function deepBody(example: Record<string, unknown>, depth: number): string {
  return JSON.stringify({ ...example, x: 'DEEP' }).replace('"DEEP"', deepValue(depth - 1));
}

const utf8 = new TextEncoder();
/** Byte sequences that are not UTF-8 (a stray byte, a truncated sequence, a surrogate, an overlong form), each in a string or a key. */
const NOT_UTF8: ReadonlyArray<{ detail: string; bytes: readonly number[]; where: 'value' | 'key' }> = [
  { detail: 'byte 0xff', bytes: [0xff], where: 'value' },
  { detail: 'truncated 3-byte sequence', bytes: [0xe2, 0x82], where: 'key' },
  { detail: 'encoded surrogate', bytes: [0xed, 0xa0, 0x80], where: 'value' },
  { detail: 'overlong "/"', bytes: [0xc0, 0xaf], where: 'key' },
];

/** The example body with `bad` inside a string value (`where: value`) or a key. */
function notUtf8Body(example: Record<string, unknown>, bad: readonly number[], where: 'value' | 'key'): Uint8Array {
  const text = JSON.stringify(where === 'value' ? { ...example, x: 'BAD' } : { ...example, BAD: 1 });
  const [before, after] = text.split('BAD') as [string, string];
  return new Uint8Array([...utf8.encode(before), ...bad, ...utf8.encode(after)]);
}

/**
 * Routes where an accepted request would end the sweeper's session, device, password or room
 * membership, or replace the room: the deep body within the limit (accepted as any valid body)
 * is not sent there, so that the routes after them are still swept with a working world.
 */
const ENDS_THE_WORLD = /\/(logout(\/all)?|delete_devices|devices\/:deviceId|account\/(deactivate|password)|rooms\/:roomId\/(leave|forget|kick|ban|upgrade))$/;

/** Percent-encoding that does not decode to UTF-8. */
const BAD_PERCENT = ['%E0%A4%A', '%zz', '%C3%28', '%'];

function queryString(params: ReadonlyArray<[string, string]>): string {
  return params.length === 0 ? '' : `?${params.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')}`;
}

interface RequestParts {
  readonly url: string;
  readonly path: string;
  readonly requiredQuery: ReadonlyArray<[string, string]>;
  readonly encodedValid: Record<string, string>;
  readonly example: Record<string, unknown>;
  readonly hasBody: boolean;
}

/**
 * A missing token with a malformed request (unparsable body; without a body, a NUL path
 * parameter) and an unknown token with a mistyped one (a wrong field type or a non-object
 * body; without a body, a non-numeric numeric query parameter): 401 either way.
 */
function badInputWithBadToken(route: RegisteredRoute, spec: RequestSpec | undefined, parts: RequestParts): Array<Omit<BadCase, 'method'>> {
  const cases: Array<Omit<BadCase, 'method'>> = [];
  const missing = { token: 'none' as const, statuses: [401], errcodes: ['M_MISSING_TOKEN'] };
  const unknown = { token: 'invalid' as const, statuses: [401], errcodes: ['M_UNKNOWN_TOKEN'] };
  const firstParam = pathParams(route.url)[0];
  if (parts.hasBody) {
    cases.push({ kind: 'no-token-malformed', detail: 'no token, body {"a":', url: parts.url, body: '{"a":', ...missing });
    const typed = spec?.fields.find((f) => wrongValue(f.type) !== undefined);
    const mistyped = typed ? JSON.stringify({ ...parts.example, [typed.name]: wrongValue(typed.type) }) : '[1,2]';
    const what = typed ? `field ${JSON.stringify(typed.name)} (${typed.type}) as ${JSON.stringify(wrongValue(typed.type))}` : 'a JSON array body';
    cases.push({ kind: 'bad-token-mistyped', detail: `unknown token, ${what}`, url: parts.url, body: mistyped, ...unknown });
  } else if (firstParam !== undefined) {
    const bad = fillPath(route.url, { ...parts.encodedValid, [firstParam]: '%00' }) + queryString(parts.requiredQuery);
    cases.push({ kind: 'no-token-malformed', detail: `no token, path :${firstParam} = NUL byte`, url: bad, ...missing });
  }
  const numeric = (spec?.query ?? []).find((q) => q.type === 'integer' || q.type === 'number' || q.type === 'boolean');
  if (!parts.hasBody && numeric !== undefined) {
    const params = [...parts.requiredQuery.filter(([k]) => k !== numeric.name), [numeric.name, 'not-a-number'] as [string, string]];
    cases.push({ kind: 'bad-token-mistyped', detail: `unknown token, query ${numeric.name} (${numeric.type}) = "not-a-number"`, url: parts.path + queryString(params), ...unknown });
  }
  return cases;
}

/** Every bad request for one route (method + Fastify URL); `spec` is undefined for non-spec routes. */
export function buildCases(route: RegisteredRoute, spec: RequestSpec | undefined, valid: ValidParams, options: BuildCasesOptions = {}): BadCase[] {
  const { method } = route;
  const encodedValid = Object.fromEntries(Object.entries(valid).map(([k, v]) => [k, encodeURIComponent(v)]));
  const path = fillPath(route.url, encodedValid);
  const requiredQuery: Array<[string, string]> = (spec?.query ?? []).filter((q) => q.required).map((q) => [q.name, q.example]);
  const url = path + queryString(requiredQuery);
  const hasBody = method === 'POST' || method === 'PUT' || method === 'DELETE';
  const example = spec?.exampleBody ?? {};
  const body = hasBody ? JSON.stringify(example) : undefined;
  const cases: BadCase[] = [];
  const add = (c: Omit<BadCase, 'method'>) => cases.push({ method, ...c });

  const tokenStatuses = spec?.requiresAuth === true ? [401] : undefined;
  add({ kind: 'no-token', detail: 'no access token', url, token: 'none', body, statuses: tokenStatuses, errcodes: spec?.requiresAuth ? ['M_MISSING_TOKEN'] : undefined });
  if (method === 'HEAD') return cases;
  add({ kind: 'bad-token', detail: 'unknown access token', url, token: 'invalid', body, statuses: tokenStatuses, errcodes: spec?.requiresAuth ? ['M_UNKNOWN_TOKEN'] : undefined });
  if (options.authRequired === true) {
    for (const c of badInputWithBadToken(route, spec, { url, path, requiredQuery, encodedValid, example, hasBody })) cases.push({ method, ...c });
  }

  if (hasBody && options.rawBody === true) {
    const limit = options.bodyLimit ?? 1024 * 1024;
    add({ kind: 'oversized-body', detail: `${limit + 1024}-byte raw body`, url, token: 'valid', body: 'x'.repeat(limit + 1024), statuses: [413], errcodes: ['M_TOO_LARGE'] });
  } else if (hasBody) {
    add({ kind: 'malformed-json', detail: 'body {"a":', url, token: 'valid', body: '{"a":', statuses: [400], errcodes: ['M_NOT_JSON', 'M_BAD_JSON'] });
    const limit = options.bodyLimit ?? 1024 * 1024;
    add({ kind: 'oversized-body', detail: `${limit + 1024}-byte body`, url, token: 'valid', body: JSON.stringify({ a: 'x'.repeat(limit + 1024) }), statuses: [413], errcodes: ['M_TOO_LARGE'] });
  }
  if (hasBody && options.rawBody !== true && spec?.objectBody) {
    for (const [detail, raw] of [['JSON array', '[1,2]'], ['JSON string', '"text"'], ['JSON number', '42'], ['JSON null', 'null']] as const) {
      add({ kind: 'non-object-body', detail, url, token: 'valid', body: raw, statuses: CLIENT_ERRORS, errcodes: ['M_NOT_JSON', 'M_BAD_JSON', 'M_INVALID_PARAM'] });
    }
    for (const field of spec.fields) {
      const wrong = wrongValue(field.type);
      if (wrong === undefined) continue;
      add({ kind: 'wrong-field-type', detail: `field ${JSON.stringify(field.name)} (${field.type}) as ${JSON.stringify(wrong)}`, url, token: 'valid', body: JSON.stringify({ ...example, [field.name]: wrong }), statuses: CLIENT_ERRORS });
    }
    // U+0000 cannot be stored by PostgreSQL (text or jsonb): accepting or refusing is fine, crashing is not.
    const nulString = spec.fields.find((f) => f.type === 'string');
    const nulBody = { ...example, 'nul\u0000key': 'a\u0000b', ...(nulString ? { [nulString.name]: 'a\u0000b' } : {}) };
    add({ kind: 'nul-in-body', detail: `U+0000 in a key and in ${nulString ? `field ${JSON.stringify(nulString.name)}` : 'a value'}`, url, token: 'valid', body: JSON.stringify(nulBody) });
    for (const field of spec.fields.filter((f) => f.required)) {
      const { [field.name]: _dropped, ...rest } = example;
      add({ kind: 'missing-field', detail: `without required field ${JSON.stringify(field.name)}`, url, token: 'valid', body: JSON.stringify(rest), statuses: CLIENT_ERRORS });
    }
  }
  if (hasBody) {
    // JSON routes must refuse; routes taking raw bytes (media uploads) may store them.
    const json = spec?.objectBody === true;
    for (const depth of DEEP_BODY_DEPTHS) {
      const refused = json && depth > DEEPEST_ACCEPTED;
      if (!refused && ENDS_THE_WORLD.test(route.url)) continue;
      add({ kind: 'deep-nesting', detail: `body nested ${depth} levels`, url, token: 'valid', body: deepBody(example, depth), ...(refused ? { statuses: [400], errcodes: ['M_BAD_JSON'] } : {}) });
    }
    for (const { detail, bytes, where } of NOT_UTF8) {
      add({ kind: 'invalid-utf8', detail: `${detail} in a ${where === 'value' ? 'string' : 'key'}`, url, token: 'valid', body: notUtf8Body(example, bytes, where), ...(json ? { statuses: [400], errcodes: ['M_NOT_JSON'] } : {}) });
    }
    // The same through JSON's own escapes: well-formed UTF-8 bytes spelling a lone surrogate.
    const loneSurrogate = JSON.stringify({ ...example, x: 'BAD' }).replace('BAD', '\\ud800');
    add({ kind: 'invalid-utf8', detail: 'escaped lone surrogate \\ud800 in a string', url, token: 'valid', body: loneSurrogate, ...(json ? { statuses: [400], errcodes: ['M_BAD_JSON'] } : {}) });
  }
  for (const name of pathParams(route.url)) {
    for (const raw of BAD_PERCENT) {
      const bad = fillPath(route.url, { ...encodedValid, [name]: raw }) + queryString(requiredQuery);
      add({ kind: 'bad-percent-encoding', detail: `path :${name} = ${raw}`, url: bad, token: 'valid', body, statuses: [400, 404] });
    }
    for (const value of invalidPathValues(name, route.url)) {
      const bad = fillPath(route.url, { ...encodedValid, [name]: value.raw }) + queryString(requiredQuery);
      add({ kind: 'bad-path-param', detail: `path :${name} = ${value.detail}`, url: bad, token: 'valid', body, statuses: CLIENT_ERRORS });
    }
  }
  for (const q of spec?.query ?? []) {
    if (q.type === 'integer' || q.type === 'number' || q.type === 'boolean') {
      const params = [...requiredQuery.filter(([k]) => k !== q.name), [q.name, 'not-a-number'] as [string, string]];
      add({ kind: 'bad-query', detail: `query ${q.name} (${q.type}) = "not-a-number"`, url: path + queryString(params), token: 'valid', body, statuses: CLIENT_ERRORS });
    }
    if (q.required) {
      add({ kind: 'missing-query', detail: `without required query ${q.name}`, url: path + queryString(requiredQuery.filter(([k]) => k !== q.name)), token: 'valid', body, statuses: CLIENT_ERRORS });
    }
  }
  return cases;
}
