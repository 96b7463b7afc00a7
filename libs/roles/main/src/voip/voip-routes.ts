// GET /voip/turnServer (api/v1, r0, v3): TURN credentials for calls (turn-credentials.ts), or
// `{}` when TURN is not configured, as Synapse answers (the spec's schema wants the four
// fields; clients such as matrix-js-sdk read an empty object as "no TURN server").
import { MatrixError } from '@homeserver/http';
import type { Clock, Requester } from '@homeserver/services';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { clientRoute } from '../rooms/route-helper.ts';
import { turnCredentials, type TurnSettings } from './turn-credentials.ts';

export interface VoipDeps {
  readonly authenticate: (request: FastifyRequest) => Promise<Requester>;
  readonly clock: Clock;
  readonly settings: TurnSettings;
}

export function registerVoipRoutes(app: FastifyInstance, deps: VoipDeps): void {
  clientRoute(app, 'GET', '/voip/turnServer', {}, async (request) => {
    const requester = await deps.authenticate(request);
    if (requester.isGuest && !deps.settings.turnAllowGuests) throw new MatrixError(403, 'M_GUEST_ACCESS_FORBIDDEN', 'Guest accounts may not use the TURN server (turn_allow_guests is false)');
    const credentials = turnCredentials(deps.settings, { userId: requester.userId, now: deps.clock.now() });
    return credentials === undefined ? {} : { username: credentials.username, password: credentials.password, uris: credentials.uris, ttl: credentials.ttl };
  });
}
