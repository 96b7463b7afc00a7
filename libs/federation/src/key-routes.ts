// The key API (/_matrix/key/v2/*), served on listeners with the `keys` resource: our keys, and
// as a notary other servers' keys countersigned by us (POST /query and GET /query/{serverName},
// with or without the deprecated /{keyId}).
import { MatrixError } from '@homeserver/http';
import { isJsonObject, isValidServerName, type JsonObject } from '@homeserver/matrix';
import type { FastifyInstance } from 'fastify';
import type { Federation, KeyNotary } from './federation.ts';

export interface KeyRoutesContext {
  readonly federation: Federation;
}

/** Most servers one POST /query may ask about: each may cost a fetch. */
const MAX_QUERY_SERVERS = 100;

/** An asked minimum_valid_until_ts; undefined when none is (the notary then goes by half-life). */
function minimumValidUntil(value: unknown, where: string): number | undefined {
  if (value === undefined) return undefined;
  const number = typeof value === 'string' && /^\d{1,16}$/.test(value) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isSafeInteger(number) || number < 0) {
    throw new MatrixError(400, 'M_INVALID_PARAM', `${where} minimum_valid_until_ts must be a non-negative integer, got ${JSON.stringify(value)}`);
  }
  return number;
}

function serverName(name: string): string {
  if (!isValidServerName(name)) throw new MatrixError(400, 'M_INVALID_PARAM', `${JSON.stringify(name)} is not a server name`);
  return name;
}

export function registerKeyRoutes(app: FastifyInstance, ctx: KeyRoutesContext): void {
  const notary: KeyNotary | undefined = ctx.federation.keys.notary;
  if (notary === undefined) throw new Error('registerKeyRoutes needs the federation core key store (ctx.federation.keys.notary)');

  app.get('/_matrix/key/v2/server', async () => notary.ownKeys());
  // Deprecated form with a key ID: every key is answered, as Synapse does.
  app.get('/_matrix/key/v2/server/:keyId', async () => notary.ownKeys());

  const queryOne = async (request: { params: { serverName: string; keyId?: string }; query: Record<string, unknown> }) => {
    const name = serverName(request.params.serverName);
    const minimum = minimumValidUntil(request.query['minimum_valid_until_ts'], 'query parameter');
    return { server_keys: await notary.query(name, minimum, request.params.keyId === undefined ? [] : [request.params.keyId]) };
  };
  app.get<{ Params: { serverName: string }; Querystring: Record<string, unknown> }>('/_matrix/key/v2/query/:serverName', queryOne);
  // Deprecated form with a key ID (Synapse still serves it): the responses listing that key.
  app.get<{ Params: { serverName: string; keyId: string }; Querystring: Record<string, unknown> }>('/_matrix/key/v2/query/:serverName/:keyId', queryOne);

  app.post('/_matrix/key/v2/query', async (request) => {
    const body = request.body;
    const servers = isJsonObject(body as JsonObject) ? (body as JsonObject)['server_keys'] : undefined;
    if (!isJsonObject(servers)) throw new MatrixError(400, 'M_BAD_JSON', 'body must be an object with a server_keys object');
    const names = Object.keys(servers);
    if (names.length > MAX_QUERY_SERVERS) throw new MatrixError(400, 'M_LIMIT_EXCEEDED', `server_keys names ${names.length} servers; at most ${MAX_QUERY_SERVERS} per request`);
    const asked: Array<{ name: string; minimum: number | undefined; keyIds: string[] }> = [];
    for (const name of names) {
      const criteria = servers[name];
      if (!isJsonObject(criteria)) throw new MatrixError(400, 'M_BAD_JSON', `server_keys.${name} must be an object of key IDs`);
      let minimum: number | undefined;
      for (const [keyId, criterion] of Object.entries(criteria)) {
        if (!isJsonObject(criterion)) throw new MatrixError(400, 'M_BAD_JSON', `server_keys.${name}.${keyId} must be an object`);
        const asked = minimumValidUntil(criterion['minimum_valid_until_ts'], `server_keys.${name}.${keyId}`);
        if (asked !== undefined) minimum = Math.max(minimum ?? 0, asked);
      }
      asked.push({ name: serverName(name), minimum, keyIds: Object.keys(criteria) });
    }
    // Named key IDs narrow the answer to the responses listing them (none named: every key).
    const answers = await Promise.all(asked.map(({ name, minimum, keyIds }) => notary.query(name, minimum, keyIds)));
    return { server_keys: answers.flat() };
  });
}
