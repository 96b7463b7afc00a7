// Reads of a room's DAG by other servers: one event, the state (full or IDs) at an event, an
// event's auth chain, backfill, missing events, and the event nearest a timestamp. Room-wide
// reads need the asking server in the room (or a world_readable room) and within the ACL; each
// served event follows the history visibility at it for that server.
import { forbidden, invalidParam, missingParam, notFound } from '@homeserver/http';
import { getBackfillEvents, getEvent, getEventFlags, getEventNearTimestamp, getMissingEvents } from '@homeserver/storage';
import type { FastifyInstance } from 'fastify';
import { filterVisibleToServer, isVisibleToServer, redactErasedForServers, requireAclAllows, requireRoom, requireServerInRoom } from '../inbound/room-access.ts';
import { authChainIds, federationPdu, loadServable, stateAndAuthChain, stateIdsAt } from '../inbound/served-pdus.ts';
import { federationAuth, originOf } from './federation-auth.ts';
import type { FederationRouteDeps } from './federation-deps.ts';
import { eventIdParam, roomIdParam } from './id-params.ts';

const F = '/_matrix/federation/v1';
/** Synapse caps /backfill and /get_missing_events answers. */
const MAX_BACKFILL = 100;
const MAX_MISSING = 20;

function intQuery(name: string, raw: unknown, fallback: number, min: number): number {
  if (raw === undefined) return fallback;
  const value = typeof raw === 'string' && /^-?\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min) throw invalidParam(`${name} must be an integer of at least ${min}, got ${JSON.stringify(raw)}`);
  return value;
}

function listQuery(raw: unknown): string[] {
  return [raw ?? []].flat().filter((v): v is string => typeof v === 'string');
}

export function registerEventRoutes(app: FastifyInstance, deps: FederationRouteDeps): void {
  const preValidation = federationAuth(deps);
  const { db } = deps;

  /** An event of `roomId` the origin may see, or 404/403. */
  async function visibleEvent(roomId: string, eventId: string, origin: string) {
    const event = await getEvent(db, eventId);
    if (!event || event.roomId !== roomId || event.rejected !== undefined) throw notFound(`event ${eventId} is not known in room ${roomId}`);
    if (!(await isVisibleToServer(db, event, origin))) throw forbidden(`server ${origin} may not see event ${eventId}`);
    return event;
  }

  app.get<{ Params: { eventId: string } }>(`${F}/event/:eventId`, { preValidation }, async (request) => {
    const eventId = eventIdParam(request.params.eventId);
    const origin = originOf(request);
    const event = await getEvent(db, eventId);
    if (!event || event.rejected !== undefined) throw notFound(`event ${eventId} is not known here`);
    const room = await requireRoom(db, event.roomId);
    await requireAclAllows(db, event.roomId, origin);
    if (!(await isVisibleToServer(db, event, origin))) throw forbidden(`server ${origin} may not see event ${eventId}`);
    const [served] = await redactErasedForServers(db, [event]);
    return { origin: deps.serverName, origin_server_ts: deps.clock.now(), pdus: [federationPdu(served!, room.roomVersion)] };
  });

  const stateRoute = (ids: boolean) =>
    app.get<{ Params: { roomId: string }; Querystring: { event_id?: string } }>(`${F}/${ids ? 'state_ids' : 'state'}/:roomId`, { preValidation }, async (request) => {
      const roomId = roomIdParam(request.params.roomId);
      const rawEventId = request.query.event_id;
      if (typeof rawEventId !== 'string') throw invalidParam('event_id is required');
      const eventId = eventIdParam(rawEventId);
      const origin = originOf(request);
      const room = await requireServerInRoom(db, roomId, origin);
      await visibleEvent(roomId, eventId, origin);
      // An outlier is stored without the state around it: there is none to give (Synapse: 404).
      if ((await getEventFlags(db, [eventId])).get(eventId)?.outlier === true) throw notFound(`event ${eventId} is an outlier: its state is not known here`);
      // The state before the event, as the spec defines "the state at an event".
      const state = await stateIdsAt(db, eventId, 'before');
      if (state === undefined) throw notFound(`the state at event ${eventId} is not known here`);
      const stateIds = state.map((e) => e.eventId);
      if (ids) return { pdu_ids: stateIds, auth_chain_ids: await authChainIds(db, stateIds) };
      const full = await stateAndAuthChain(db, roomId, stateIds);
      return { pdus: full.state.map((e) => federationPdu(e, room.roomVersion)), auth_chain: full.authChain.map((e) => federationPdu(e, room.roomVersion)) };
    });
  stateRoute(false);
  stateRoute(true);

  app.get<{ Params: { roomId: string; eventId: string } }>(`${F}/event_auth/:roomId/:eventId`, { preValidation }, async (request) => {
    const roomId = roomIdParam(request.params.roomId);
    const eventId = eventIdParam(request.params.eventId);
    const origin = originOf(request);
    const room = await requireServerInRoom(db, roomId, origin);
    await visibleEvent(roomId, eventId, origin);
    const chain = await loadServable(db, roomId, await authChainIds(db, [eventId]));
    return { auth_chain: chain.map((e) => federationPdu(e, room.roomVersion)) };
  });

  app.get<{ Params: { roomId: string }; Querystring: { v?: string | string[]; limit?: string } }>(`${F}/backfill/:roomId`, { preValidation }, async (request) => {
    const roomId = roomIdParam(request.params.roomId);
    const from = listQuery(request.query.v).map(eventIdParam);
    if (from.length === 0) throw invalidParam('v (the event IDs to backfill from) is required');
    // Required by the spec, and by Synapse.
    if (request.query.limit === undefined) throw missingParam('limit (how many events to backfill) is required');
    const limit = Math.min(intQuery('limit', request.query.limit, 10, 1), MAX_BACKFILL);
    const origin = originOf(request);
    const room = await requireServerInRoom(db, roomId, origin);
    const events = await filterVisibleToServer(db, await getBackfillEvents(db, roomId, from, limit), origin);
    return { origin: deps.serverName, origin_server_ts: deps.clock.now(), pdus: events.map((e) => federationPdu(e, room.roomVersion)) };
  });

  // Both lists default to empty, as Synapse reads them (the spec marks them required).
  app.post<{ Params: { roomId: string }; Body: { earliest_events?: string[]; latest_events?: string[]; limit?: number; min_depth?: number } }>(
    `${F}/get_missing_events/:roomId`,
    {
      preValidation,
      schema: {
        body: {
          type: 'object',
          properties: {
            earliest_events: { type: 'array', items: { type: 'string' }, maxItems: 1000 },
            latest_events: { type: 'array', items: { type: 'string' }, maxItems: 1000 },
            limit: { type: 'integer', minimum: 0 },
            min_depth: { type: 'integer' },
          },
        },
      },
    },
    async (request) => {
      const roomId = roomIdParam(request.params.roomId);
      const origin = originOf(request);
      const room = await requireServerInRoom(db, roomId, origin);
      const limit = Math.min(request.body.limit ?? 10, MAX_MISSING);
      const events = await getMissingEvents(db, roomId, { earliest: request.body.earliest_events ?? [], latest: request.body.latest_events ?? [], limit, minDepth: request.body.min_depth ?? 0 });
      const visible = await filterVisibleToServer(db, events, origin);
      return { events: visible.map((e) => federationPdu(e, room.roomVersion)) };
    },
  );

  app.get<{ Params: { roomId: string }; Querystring: { ts?: string; dir?: string } }>(`${F}/timestamp_to_event/:roomId`, { preValidation }, async (request) => {
    const roomId = roomIdParam(request.params.roomId);
    const ts = intQuery('ts', request.query.ts, Number.NaN, 0);
    if (Number.isNaN(ts)) throw invalidParam('ts is required');
    const dir = request.query.dir;
    if (dir !== 'f' && dir !== 'b') throw invalidParam(`dir must be "f" or "b", got ${JSON.stringify(dir)}`);
    const origin = originOf(request);
    await requireServerInRoom(db, roomId, origin);
    const event = await getEventNearTimestamp(db, roomId, { ts, direction: dir });
    if (!event || !(await isVisibleToServer(db, event, origin))) throw notFound(`no event ${dir === 'f' ? 'after' : 'before'} ${ts} in room ${roomId}`);
    return { event_id: event.eventId, origin_server_ts: event.originServerTs };
  });
}
