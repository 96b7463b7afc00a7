// Refuses U+0000 in request input at the edge. PostgreSQL stores it in neither text nor jsonb
// (the insert fails, which surfaced as a 500), and no Matrix identifier, event type, state key,
// transaction id or account-data type may contain it; so a request carrying one is a client error.
// Bodies are also refused an unpaired surrogate, which the database would silently turn into U+FFFD.
import type { FastifyInstance } from 'fastify';
import { badJson, invalidParam } from './matrix-error.ts';

const NUL = '\u0000';

/** A name for messages: NUL spelled as its JSON escape. */
const printable = (name: string) => JSON.stringify(name.split(NUL).join('\\u0000'));

/** The path (`content.body`) of the first key or string for which `bad` holds, or undefined. */
export function findString(value: unknown, bad: (text: string) => boolean, path = ''): string | undefined {
  if (typeof value === 'string') return bad(value) ? path || 'value' : undefined;
  if (value === null || typeof value !== 'object') return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i += 1) {
      const found = findString(value[i], bad, `${path}[${i}]`);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  for (const [key, item] of Object.entries(value)) {
    const at = path ? `${path}.${key}` : key;
    if (bad(key)) return at;
    const found = findString(item, bad, at);
    if (found !== undefined) return found;
  }
  return undefined;
}

const hasNul = (text: string) => text.includes(NUL);

/** The path (`content.body`) of the first key or string holding U+0000, or undefined. */
export function findNul(value: unknown, path = ''): string | undefined {
  return findString(value, hasNul, path);
}

// `\ud800`-style escapes of a surrogate; only these can make a parsed string ill-formed.
const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F]/;
const illFormed = (text: string) => !text.isWellFormed();

/**
 * Throws M_BAD_JSON when a parsed body holds U+0000 or an unpaired surrogate (`"\ud800"`: valid
 * JSON syntax, but not Unicode text; written to the database it would become U+FFFD); `text` is
 * the raw body (cheap pre-checks: both can only come from escape sequences).
 */
export function refuseUnstorableText(text: string, parsed: unknown): void {
  if (text.includes('\\u0000')) {
    const at = findNul(parsed);
    if (at !== undefined) throw badJson(`request body field ${printable(at)} contains U+0000, which is not accepted`);
  }
  if (SURROGATE_ESCAPE.test(text)) {
    const at = findString(parsed, illFormed);
    if (at !== undefined) throw badJson(`request body field ${printable(at)} contains an unpaired UTF-16 surrogate, which is not Unicode text`);
  }
}

/** Adds the hook refusing U+0000 in path parameters and query values (M_INVALID_PARAM). */
export function registerNulGuard(app: FastifyInstance): void {
  app.addHook('preValidation', (request, _reply, done) => {
    for (const [where, values] of [['path parameter', request.params], ['query parameter', request.query]] as const) {
      const at = findNul(values);
      if (at !== undefined) return done(invalidParam(`${where} ${printable(at)} contains U+0000, which is not accepted`));
    }
    done();
  });
}
