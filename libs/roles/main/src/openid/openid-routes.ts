// POST /user/{userId}/openid/request_token (r0, v3): a token the user hands to a third party
// (an integration manager, a widget) which exchanges it for the user's ID through the
// federation API's /openid/userinfo. Only for oneself (403 otherwise, as Synapse); valid for
// an hour. The token is stored as its SHA-256 digest for that exchange.
// The federation /openid/userinfo endpoint that reads it is the federation-reader role's.
import { randomBytes } from 'node:crypto';
import { forbidden } from '@homeserver/http';
import { hashToken, type Clock, type Requester } from '@homeserver/services';
import { insertOpenIdToken, type Database } from '@homeserver/storage';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { userIdParam } from '../rooms/path-params.ts';
import { clientRoute, params } from '../rooms/route-helper.ts';

export interface OpenIdDeps {
  readonly db: Database;
  readonly authenticate: (request: FastifyRequest) => Promise<Requester>;
  readonly clock: Clock;
  readonly serverName: string;
}

/** Synapse's lifetime of OpenID tokens. */
export const OPENID_TOKEN_LIFETIME_MS = 3_600_000;

export function registerOpenIdRoutes(app: FastifyInstance, deps: OpenIdDeps): void {
  // The body is "an empty object, reserved for future expansion": any object is accepted.
  clientRoute(app, 'POST', '/user/:userId/openid/request_token', { schema: { body: { type: 'object' } }, paths: {} }, async (request) => {
    const requester = await deps.authenticate(request);
    const userId = userIdParam(params(request)['userId'], 'user ID');
    if (userId !== requester.userId) throw forbidden(`cannot request an OpenID token for another user (${userId})`);
    const token = randomBytes(24).toString('base64url');
    await insertOpenIdToken(deps.db, { tokenHash: hashToken(token), userId, validUntilMs: deps.clock.now() + OPENID_TOKEN_LIFETIME_MS });
    return { access_token: token, token_type: 'Bearer', matrix_server_name: deps.serverName, expires_in: OPENID_TOKEN_LIFETIME_MS / 1000 };
  });
}
