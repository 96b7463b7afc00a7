// The server-admin check every admin endpoint shares (Synapse's assert_requester_is_admin):
// 401 without a valid token (from the access-token hook), 403 M_FORBIDDEN for anyone whose
// account lacks the admin flag. Roles hosting admin routes (main, media) use it alike.
import { MatrixError } from '@homeserver/http';
import type { FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { AccessTokenAuth } from './access-token-auth.ts';
import type { Requester } from '../process/requester.ts';

export const notServerAdmin = (): MatrixError => new MatrixError(403, 'M_FORBIDDEN', 'You are not a server admin');

/** The requester of an admin request; throws 401 (no or bad token) or 403 (not an admin). */
export async function requireServerAdmin(auth: AccessTokenAuth, request: FastifyRequest): Promise<Requester> {
  const requester = await auth.authenticate(request);
  if (requester.admin !== true) throw notServerAdmin();
  return requester;
}

/** requireServerAdmin as a route preHandler; read the admin with requesterOf afterwards. */
export function serverAdminPreHandler(auth: AccessTokenAuth): preHandlerAsyncHookHandler {
  return async (request) => {
    await requireServerAdmin(auth, request);
  };
}
