// Client-Server endpoints only appservices call: POST /_matrix/client/v1/appservice/{id}/ping
// (the homeserver pings the appservice back and reports how long it took) and PUT
// /directory/list/appservice/{networkId}/{roomId} (publish a bridged room in the network's part
// of the room directory). Both need the appservice's as_token.
import { MatrixError, clientPaths, forbidden, invalidParam, notFound } from '@homeserver/http';
import { callAppservice, requesterOf, type Appservices, type Clock } from '@homeserver/services';
import { getRoom, setAppserviceRoomListing, type Database } from '@homeserver/storage';
import type { FastifyInstance } from 'fastify';

export interface AppserviceRoutesDeps {
  readonly db: Database;
  readonly appservices: Appservices;
  readonly clock: Clock;
}

const pingBody = { type: 'object', properties: { transaction_id: { type: 'string' } } } as const;
const listingBody = { type: 'object', required: ['visibility'], properties: { visibility: { type: 'string', enum: ['public', 'private'] } } } as const;

export function registerAppserviceRoutes(app: FastifyInstance, deps: AppserviceRoutesDeps): void {
  app.post<{ Params: { appserviceId: string }; Body: { transaction_id?: string } }>('/_matrix/client/v1/appservice/:appserviceId/ping', { schema: { body: pingBody } }, async (request) => {
    const requester = requesterOf(request);
    const appservice = requester.appserviceId === undefined ? undefined : deps.appservices.byId(requester.appserviceId);
    if (appservice === undefined || appservice.id !== request.params.appserviceId) throw forbidden("Provided access token is not the appservice's as_token");
    if (appservice.url === undefined) throw new MatrixError(400, 'M_URL_NOT_SET', "Application service doesn't have a URL configured");
    const started = deps.clock.now();
    const body = request.body?.transaction_id === undefined ? {} : { transaction_id: request.body.transaction_id };
    const answer = await callAppservice(appservice, 'POST', '/ping', { body, timeoutMs: 30_000 });
    if (!answer.ok) {
      if (answer.status === undefined) {
        const timedOut = /abort|timeout/i.test(answer.reason);
        throw new MatrixError(timedOut ? 504 : 502, timedOut ? 'M_CONNECTION_TIMEOUT' : 'M_CONNECTION_FAILED', `Ping to the application service failed: ${answer.reason}`);
      }
      throw new MatrixError(502, 'M_BAD_STATUS', `Ping returned status ${answer.status}`, { extra: { status: answer.status, body: JSON.stringify(answer.body ?? '') } });
    }
    return { duration_ms: Math.max(0, deps.clock.now() - started) };
  });

  for (const url of clientPaths('/directory/list/appservice/:networkId/:roomId')) {
    app.put<{ Params: { networkId: string; roomId: string }; Body: { visibility: 'public' | 'private' } }>(url, { schema: { body: listingBody } }, async (request) => {
      const requester = requesterOf(request);
      if (requester.appserviceId === undefined) throw forbidden('Only application services can edit the appservice published room list');
      const { networkId, roomId } = request.params;
      if (networkId === '' || networkId.length > 255) throw invalidParam('networkId must be 1 to 255 characters');
      if (!roomId.startsWith('!') || (await getRoom(deps.db, roomId)) === undefined) throw notFound(`room ${roomId} is not known`);
      await setAppserviceRoomListing(deps.db, { appserviceId: requester.appserviceId, networkId, roomId, visible: request.body.visibility === 'public' });
      return {};
    });
  }
}
