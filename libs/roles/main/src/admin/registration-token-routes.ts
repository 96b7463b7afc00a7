// Synapse's registration tokens admin API (/v1/registration_tokens): list (optionally only
// valid or invalid ones), show, create (a given token or a random one of `length`), update the
// allowed uses or expiry, delete. /register spends them when registration_requires_token is on.
import { randomInt } from 'node:crypto';
import { MatrixError, invalidParam, notFound } from '@homeserver/http';
import { deleteRegistrationToken, getRegistrationToken, insertRegistrationToken, listRegistrationTokens, updateRegistrationToken, type RegistrationToken } from '@homeserver/storage';
import type { FastifyInstance } from 'fastify';
import type { AdminDeps } from './admin-deps.ts';
import { BOOL_QUERY, adminRoute, boolQuery, logAdminAction } from './admin-route.ts';

const TOKEN_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._~-';
const TOKEN_PATTERN = '^[A-Za-z0-9._~-]{1,64}$';
const USES = { type: ['integer', 'null'], minimum: 0, maximum: 1_000_000_000_000 } as const;
const EXPIRY = { type: ['integer', 'null'], minimum: 0, maximum: 1e15 } as const;

function tokenJson(t: RegistrationToken): Record<string, unknown> {
  return { token: t.token, uses_allowed: t.usesAllowed, pending: t.pending, completed: t.completed, expiry_time: t.expiryTime };
}

const tokenParams = { type: 'object', required: ['token'], properties: { token: { type: 'string', pattern: TOKEN_PATTERN } } } as const;

export function registerRegistrationTokenRoutes(app: FastifyInstance, deps: AdminDeps): void {
  const { db, auth, clock } = deps;
  const checkExpiry = (expiry: number | null | undefined) => {
    if (typeof expiry === 'number' && expiry < clock.now()) throw invalidParam('expiry_time must not be in the past');
  };

  adminRoute<{ Querystring: { valid?: string } }>(app, auth, 'GET', '/_synapse/admin/v1/registration_tokens', { querystring: { type: 'object', properties: { valid: BOOL_QUERY } } }, async (request) => {
    const valid = boolQuery(request.query.valid);
    const tokens = await listRegistrationTokens(db, { now: clock.now(), ...(valid === undefined ? {} : { valid }) });
    return { registration_tokens: tokens.map(tokenJson) };
  });

  adminRoute<{ Body: { token?: string; uses_allowed?: number | null; expiry_time?: number | null; length?: number } }>(
    app,
    auth,
    'POST',
    '/_synapse/admin/v1/registration_tokens/new',
    {
      body: {
        type: ['object', 'null'],
        properties: { token: { type: 'string', pattern: TOKEN_PATTERN }, uses_allowed: USES, expiry_time: EXPIRY, length: { type: 'integer', minimum: 1, maximum: 64 } },
      },
    },
    async (request, admin) => {
      const body = request.body ?? {};
      if (body.token !== undefined && body.length !== undefined) throw invalidParam('give either token or length, not both');
      checkExpiry(body.expiry_time);
      const fields = { usesAllowed: body.uses_allowed ?? null, expiryTime: body.expiry_time ?? null };
      let token = body.token;
      if (token !== undefined) {
        if (!(await insertRegistrationToken(db, { token, ...fields }))) throw new MatrixError(400, 'M_INVALID_PARAM', `Token already exists: ${token}`);
      } else {
        // A random token; a collision (vanishingly rare at 16 characters) draws again.
        for (;;) {
          token = Array.from({ length: body.length ?? 16 }, () => TOKEN_CHARS[randomInt(TOKEN_CHARS.length)]).join('');
          if (await insertRegistrationToken(db, { token, ...fields })) break;
        }
      }
      // The token is a credential of sorts: logged by its length only.
      logAdminAction(request, admin, 'create registration token', { token_length: token.length, uses_allowed: fields.usesAllowed, expiry_time: fields.expiryTime });
      return tokenJson((await getRegistrationToken(db, token))!);
    },
  );

  adminRoute<{ Params: { token: string } }>(app, auth, 'GET', '/_synapse/admin/v1/registration_tokens/:token', { params: tokenParams }, async (request) => {
    const token = await getRegistrationToken(db, request.params.token);
    if (token === undefined) throw notFound(`No such registration token: ${request.params.token}`);
    return tokenJson(token);
  });

  adminRoute<{ Params: { token: string }; Body: { uses_allowed?: number | null; expiry_time?: number | null } }>(
    app,
    auth,
    'PUT',
    '/_synapse/admin/v1/registration_tokens/:token',
    { params: tokenParams, body: { type: ['object', 'null'], properties: { uses_allowed: USES, expiry_time: EXPIRY } } },
    async (request, admin) => {
      const body = request.body ?? {};
      checkExpiry(body.expiry_time);
      logAdminAction(request, admin, 'update registration token', { uses_allowed: body.uses_allowed, expiry_time: body.expiry_time });
      const updated = await updateRegistrationToken(db, request.params.token, {
        ...('uses_allowed' in body ? { usesAllowed: body.uses_allowed ?? null } : {}),
        ...('expiry_time' in body ? { expiryTime: body.expiry_time ?? null } : {}),
      });
      if (updated === undefined) throw notFound(`No such registration token: ${request.params.token}`);
      return tokenJson(updated);
    },
  );

  adminRoute<{ Params: { token: string } }>(app, auth, 'DELETE', '/_synapse/admin/v1/registration_tokens/:token', { params: tokenParams }, async (request, admin) => {
    logAdminAction(request, admin, 'delete registration token', {});
    if (!(await deleteRegistrationToken(db, request.params.token))) throw notFound(`No such registration token: ${request.params.token}`);
    return {};
  });
}
