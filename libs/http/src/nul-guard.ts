// Refuses U+0000 in request input at the edge. PostgreSQL stores it in neither text nor jsonb
// (the insert fails, which surfaced as a 500), and no Matrix identifier, event type, state key,
// transaction id or account-data type may contain it; so a request carrying one is a client error.
import type { FastifyInstance } from 'fastify';
import { badJson, invalidParam } from './matrix-error.ts';

const NUL = '\u0000';

/** A name for messages: NUL spelled as its JSON escape. */
const printable = (name: string) => JSON.stringify(name.split(NUL).join('\\u0000'));

/** The path (`content.body`) of the first key or string holding U+0000, or undefined. */
export function findNul(value: unknown, path = ''): string | undefined {
  if (typeof value === 'string') return value.includes(NUL) ? path || 'value' : undefined;
  if (value === null || typeof value !== 'object') return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i += 1) {
      const found = findNul(value[i], `${path}[${i}]`);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  for (const [key, item] of Object.entries(value)) {
    const at = path ? `${path}.${key}` : key;
    if (key.includes(NUL)) return at;
    const found = findNul(item, at);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** Throws M_BAD_JSON when a parsed body holds U+0000; `text` is the raw body (cheap pre-check). */
export function refuseNulInBody(text: string, parsed: unknown): void {
  // A JSON text can only produce U+0000 through the escape sequence (a raw NUL is invalid JSON).
  if (!text.includes('\\u0000')) return;
  const at = findNul(parsed);
  if (at !== undefined) throw badJson(`request body field ${printable(at)} contains U+0000, which is not accepted`);
}

/** Adds the hook refusing U+0000 in path parameters and query values (M_INVALID_PARAM). */
export function registerNulGuard(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    for (const [where, values] of [['path parameter', request.params], ['query parameter', request.query]] as const) {
      const at = findNul(values);
      if (at !== undefined) throw invalidParam(`${where} ${printable(at)} contains U+0000, which is not accepted`);
    }
  });
}
