// The membership handshakes another server drives for its users: make_join / send_join (v2),
// make_leave / send_leave (v2, and the deprecated v1), make_knock / send_knock, and invite (v2,
// and the deprecated v1 of rooms of version 1 and 2) of our users.
import { invalidParam, MatrixError } from '@homeserver/http';
import { findRoomVersion, isJsonObject, parsePdu, signEvent, type JsonObject, type RoomEvent } from '@homeserver/matrix';
import { getJoinedServers } from '@homeserver/storage';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { membershipTemplate } from '../inbound/membership-template.ts';
import { sendMembership } from '../inbound/membership-send.ts';
import { failureToError } from '../inbound/room-failures.ts';
import { aclAllows } from '../inbound/room-access.ts';
import { federationPdu, stateAndAuthChain, stateIdsAt } from '../inbound/served-pdus.ts';
import { strippedRoomState } from '../inbound/stripped-state.ts';
import { federationAuth, originOf } from './federation-auth.ts';
import type { FederationRouteDeps } from './federation-deps.ts';
import { eventIdParam, roomIdParam, serverOf, userIdParam } from './id-params.ts';

const F = '/_matrix/federation';
const pduBody = { type: 'object' } as const;

type Params = { roomId: string; userId: string };
type EventParams = { roomId: string; eventId: string };

/** `ver` query values (repeated or single); make_join defaults to ["1"] as the spec says. */
function versionsOf(query: unknown, fallback: readonly string[] | undefined): readonly string[] | undefined {
  const ver = (query as { ver?: unknown } | undefined)?.ver;
  if (ver === undefined) return fallback;
  return [ver].flat().filter((v): v is string => typeof v === 'string');
}

export function registerMembershipRoutes(app: FastifyInstance, deps: FederationRouteDeps): void {
  const preValidation = federationAuth(deps);
  const now = () => deps.clock.now();
  const templateDeps = { db: deps.db, serverName: deps.serverName, signingKey: deps.signingKey, now };

  const make = (membership: 'join' | 'leave' | 'knock', path: string, fallbackVersions: readonly string[] | undefined) =>
    app.get<{ Params: Params }>(`${F}/v1/${path}/:roomId/:userId`, { preValidation }, async (request) => {
      const roomId = roomIdParam(request.params.roomId);
      const userId = userIdParam(request.params.userId);
      return membershipTemplate({ roomId, userId, membership, origin: originOf(request), supportedVersions: versionsOf(request.query, fallbackVersions) }, templateDeps);
    });
  make('join', 'make_join', ['1']);
  make('leave', 'make_leave', undefined);
  // make_knock's `ver` is required; without it no version is supported.
  make('knock', 'make_knock', []);

  const send = (membership: 'join' | 'leave' | 'knock', request: FastifyRequest<{ Params: EventParams; Body: JsonObject }>) =>
    sendMembership(
      { roomId: roomIdParam(request.params.roomId), eventId: eventIdParam(request.params.eventId), membership, pdu: request.body, origin: originOf(request) },
      { db: deps.db, rooms: deps.rooms, serverName: deps.serverName, signingKey: deps.signingKey, lookupKey: deps.federation.keys.lookupKey },
    );

  async function sendJoin(request: FastifyRequest<{ Params: EventParams; Body: JsonObject }>, omitMembers: boolean): Promise<JsonObject> {
    const { event, room, signedByUs } = await send('join', request);
    const before = (await stateIdsAt(deps.db, event.eventId, 'before')) ?? [];
    const kept = omitMembers ? before.filter((e) => e.type !== 'm.room.member') : before;
    const { state, authChain } = await stateAndAuthChain(deps.db, event.roomId, kept.map((e) => e.eventId), [event.eventId]);
    const answer: JsonObject = {
      origin: deps.serverName,
      state: state.map((e) => federationPdu(e, room.roomVersion)),
      auth_chain: authChain.map((e) => federationPdu(e, room.roomVersion)),
    };
    if (omitMembers) answer['servers_in_room'] = await getJoinedServers(deps.db, event.roomId);
    if (signedByUs) answer['event'] = event.pdu;
    return answer;
  }

  app.put<{ Params: EventParams; Body: JsonObject; Querystring: { omit_members?: string } }>(`${F}/v2/send_join/:roomId/:eventId`, { preValidation, schema: { body: pduBody } }, async (request) => {
    const omitMembers = request.query.omit_members === 'true';
    return { ...(await sendJoin(request, omitMembers)), members_omitted: omitMembers };
  });

  app.put<{ Params: EventParams; Body: JsonObject }>(`${F}/v2/send_leave/:roomId/:eventId`, { preValidation, schema: { body: pduBody } }, async (request) => {
    await send('leave', request);
    return {};
  });

  // The deprecated v1 forms, still sent by older servers (and Sytest): the same, answered as [200, body].
  app.put<{ Params: EventParams; Body: JsonObject }>(`${F}/v1/send_join/:roomId/:eventId`, { preValidation, schema: { body: pduBody } }, async (request) => [200, await sendJoin(request, false)]);
  app.put<{ Params: EventParams; Body: JsonObject }>(`${F}/v1/send_leave/:roomId/:eventId`, { preValidation, schema: { body: pduBody } }, async (request) => {
    await send('leave', request);
    return [200, {}];
  });

  app.put<{ Params: EventParams; Body: JsonObject }>(`${F}/v1/send_knock/:roomId/:eventId`, { preValidation, schema: { body: pduBody } }, async (request) => {
    const { event } = await send('knock', request);
    return { knock_room_state: await strippedRoomState(deps.db, event.roomId) };
  });

  /** An invite of one of our users, checked, countersigned and handed to the room input. */
  async function receiveInvite(request: FastifyRequest<{ Params: EventParams }>, roomVersion: string, pdu: JsonObject, inviteRoomState: JsonObject[] | undefined): Promise<JsonObject> {
    const roomId = roomIdParam(request.params.roomId);
    const eventId = eventIdParam(request.params.eventId);
    const origin = originOf(request);
    const version = findRoomVersion(roomVersion);
    if (!version) {
      throw new MatrixError(400, 'M_INCOMPATIBLE_ROOM_VERSION', `room version ${roomVersion} is not supported here`, { extra: { room_version: roomVersion } });
    }
    let event: RoomEvent;
    try {
      event = parsePdu(pdu, version);
    } catch (error) {
      throw invalidParam(`the invite event is malformed: ${(error as Error).message}`);
    }
    if (event.eventId !== eventId) throw invalidParam(`the invite's event ID is ${event.eventId}, not ${eventId} as in the path`);
    if (event.roomId !== roomId) throw invalidParam(`the invite is for room ${event.roomId}, not ${roomId}`);
    if (event.type !== 'm.room.member' || event.content['membership'] !== 'invite' || event.stateKey === undefined) throw invalidParam(`event ${eventId} is not an invite`);
    if (serverOf(event.sender) !== origin) throw invalidParam(`the invite's sender ${event.sender} is not a user of ${origin}`);
    if (serverOf(event.stateKey) !== deps.serverName) throw invalidParam(`the invitee ${event.stateKey} is not a user of ${deps.serverName}`);
    if (!(await aclAllows(deps.db, roomId, origin))) throw new MatrixError(403, 'M_FORBIDDEN', `server ${origin} is banned from room ${roomId} by its server ACL`);
    const signed = signEvent(pdu, { roomVersion: version, serverName: deps.serverName, signingKey: deps.signingKey });
    const reply = await deps.rooms.receiveInvite(roomId, { pdu: signed, origin, roomVersion: version.id, ...(inviteRoomState ? { inviteRoomState } : {}) });
    if (!reply.ok) {
      const error = failureToError(reply);
      throw error.status === 400 ? invalidParam(reply.reason) : error;
    }
    if (reply.outcome === 'rejected' || reply.outcome === 'soft_failed') throw new MatrixError(403, 'M_FORBIDDEN', `the invite was ${reply.outcome}: ${reply.reason ?? ''}`);
    return signed;
  }

  app.put<{ Params: EventParams; Body: { room_version: string; event: JsonObject; invite_room_state?: JsonObject[] } }>(
    `${F}/v2/invite/:roomId/:eventId`,
    {
      preValidation,
      schema: {
        body: {
          type: 'object',
          required: ['room_version', 'event'],
          properties: { room_version: { type: 'string' }, event: { type: 'object' }, invite_room_state: { type: 'array', items: { type: 'object' } } },
        },
      },
    },
    async (request) => ({ event: await receiveInvite(request, request.body.room_version, request.body.event, request.body.invite_room_state) }),
  );

  // v1: the body is the event itself (its stripped state under unsigned.invite_room_state), in
  // a room of version 1 or 2, the only ones whose servers may lack v2; Synapse reads it as
  // version 1 (the same event format as 2). The answer keeps v1's [200, ...] wrapper.
  app.put<{ Params: EventParams; Body: JsonObject }>(`${F}/v1/invite/:roomId/:eventId`, { preValidation, schema: { body: pduBody } }, async (request) => {
    const unsigned = request.body['unsigned'];
    const state = isJsonObject(unsigned) && Array.isArray(unsigned['invite_room_state']) ? unsigned['invite_room_state'].filter(isJsonObject) : undefined;
    return [200, { event: await receiveInvite(request, '1', request.body, state) }];
  });
}
