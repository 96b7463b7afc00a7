// Synapse's federation admin API: the destinations the federation sender has talked to, with
// their retry state (GET /v1/federation/destinations[/{destination}]), and resetting a
// destination's backoff so the sender tries it again at its next scan
// (POST /v1/federation/destinations/{destination}/reset_connection).
import { MatrixError, notFound } from '@homeserver/http';
import { DESTINATION_ORDERS, getDestinationRetry, listDestinations, resetFederationRetry, type DestinationOrder, type DestinationSummary } from '@homeserver/storage';
import type { FastifyInstance } from 'fastify';
import type { AdminDeps } from './admin-deps.ts';
import { adminRoute, intQuery, logAdminAction, pagingQuery } from './admin-route.ts';

const destinationParams = { type: 'object', required: ['destination'], properties: { destination: { type: 'string', minLength: 1 } } } as const;

function destinationJson(d: DestinationSummary): Record<string, unknown> {
  return {
    destination: d.destination,
    retry_last_ts: d.retryLastTs,
    retry_interval: d.retryInterval,
    failure_ts: d.failureTs ?? null,
    last_successful_stream_ordering: d.lastSuccessfulStreamOrdering ?? null,
  };
}

export function registerFederationAdminRoutes(app: FastifyInstance, deps: AdminDeps): void {
  const { db, auth } = deps;
  const knownDestination = async (destination: string): Promise<DestinationSummary> => {
    const retry = await getDestinationRetry(db, destination);
    if (retry === undefined) throw notFound('Unknown destination');
    return { destination, ...retry };
  };

  adminRoute<{ Querystring: { from?: string; limit?: string; order_by?: DestinationOrder; dir?: 'f' | 'b'; destination?: string } }>(
    app,
    auth,
    'GET',
    '/_synapse/admin/v1/federation/destinations',
    {
      querystring: {
        type: 'object',
        properties: { ...pagingQuery, order_by: { type: 'string', enum: [...DESTINATION_ORDERS] }, dir: { type: 'string', enum: ['f', 'b'] }, destination: { type: 'string' } },
      },
    },
    async (request) => {
      const q = request.query;
      const from = intQuery(q.from, 0);
      const limit = intQuery(q.limit, 100);
      const { destinations, total } = await listDestinations(db, {
        from,
        limit,
        reverse: q.dir === 'b',
        ...(q.order_by === undefined ? {} : { orderBy: q.order_by }),
        ...(q.destination === undefined || q.destination === '' ? {} : { search: q.destination }),
      });
      const body: Record<string, unknown> = { destinations: destinations.map(destinationJson), total };
      if (from + destinations.length < total) body['next_token'] = String(from + destinations.length);
      return body;
    },
  );

  adminRoute<{ Params: { destination: string } }>(app, auth, 'GET', '/_synapse/admin/v1/federation/destinations/:destination', { params: destinationParams }, async (request) =>
    destinationJson(await knownDestination(request.params.destination)),
  );

  adminRoute<{ Params: { destination: string } }>(
    app,
    auth,
    'POST',
    '/_synapse/admin/v1/federation/destinations/:destination/reset_connection',
    { params: destinationParams },
    async (request, admin) => {
      const destination = await knownDestination(request.params.destination);
      // As Synapse: only a destination in backoff has anything to reset.
      if (destination.retryLastTs === 0) throw new MatrixError(400, 'M_UNKNOWN', 'The retry timing does not need to be reset for this destination.');
      await resetFederationRetry(db, destination.destination);
      logAdminAction(request, admin, 'reset federation connection', { destination: destination.destination });
      return {};
    },
  );
}
