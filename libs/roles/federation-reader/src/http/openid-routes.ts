// GET /openid/userinfo: a third party (an integration manager, a widget host) exchanges the
// OpenID token a user got from POST /user/{userId}/openid/request_token (role main) for the
// user's ID. The token is the only credential: no X-Matrix signature is asked for, since the
// caller is usually not a homeserver.
import { MatrixError } from '@homeserver/http';
import { hashToken } from '@homeserver/services';
import { userIdForOpenIdToken } from '@homeserver/storage';
import type { FastifyInstance } from 'fastify';
import type { FederationRouteDeps } from './federation-deps.ts';

export function registerOpenIdRoutes(app: FastifyInstance, deps: Pick<FederationRouteDeps, 'db' | 'clock'>): void {
  app.get<{ Querystring: { access_token?: unknown } }>('/_matrix/federation/v1/openid/userinfo', async (request) => {
    const token = request.query.access_token;
    // Missing, unknown and expired tokens are one answer, as the spec has it.
    const userId = typeof token === 'string' && token !== '' ? await userIdForOpenIdToken(deps.db, hashToken(token), { now: deps.clock.now() }) : undefined;
    if (userId === undefined) throw new MatrixError(401, 'M_UNKNOWN_TOKEN', 'Unknown or expired OpenID token');
    return { sub: userId };
  });
}
