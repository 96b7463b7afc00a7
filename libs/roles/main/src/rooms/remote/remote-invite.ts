// Inviting a user of another server (server-server API "Inviting to a room"): the invite is
// built on the room's current state and signed by us, checked against that state, sent to the
// invitee's server (invite v2, v1 for old rooms on servers without v2) which adds its signature, and only then handed to the room
// input as a PDU like any other, so a refused invite leaves nothing behind.
import { MatrixError } from '@homeserver/http';
import {
  authStateFromEvents,
  buildEvent,
  checkAuth,
  isJsonObject,
  parsePdu,
  roomVersion,
  selectAuthEvents,
  stateKeyOf,
  MAX_PREV_EVENTS,
  type JsonObject,
  type RoomEvent,
} from '@homeserver/matrix';
import { getEvents, loadPersisterSnapshot } from '@homeserver/storage';
import { randomBytes } from 'node:crypto';
import { failureError } from '../room-writes.ts';
import type { RoomsDeps } from '../rooms-deps.ts';
import { remoteFailure, seg, serverOf, unknownEndpoint, type RemoteServers } from './remote-servers.ts';

/** State an invitee's server is shown of the room (as Synapse's room_prejoin_state). */
const PREJOIN_TYPES = new Set(['m.room.create', 'm.room.join_rules', 'm.room.name', 'm.room.avatar', 'm.room.canonical_alias', 'm.room.encryption', 'm.room.topic']);

/** Builds our invite of `target` on the room's current state and checks it there. */
async function buildInvite(deps: RoomsDeps, roomId: string, sender: string, target: string, content: JsonObject): Promise<{ event: RoomEvent; strippedState: JsonObject[] }> {
  const snapshot = await loadPersisterSnapshot(deps.db, roomId);
  if (!snapshot) throw new MatrixError(403, 'M_FORBIDDEN', `user ${sender} is not in room ${roomId}`);
  const version = roomVersion(snapshot.roomVersion);
  const state = new Map(snapshot.currentState.map((e) => [stateKeyOf(e.type, e.stateKey), e.eventId]));
  const authEventIds = selectAuthEvents({ type: 'm.room.member', stateKey: target, sender, content, roomVersion: version }, state);
  const extremities = [...snapshot.forwardExtremities].sort((a, b) => b.depth - a.depth).slice(0, MAX_PREV_EVENTS);
  const event = buildEvent(
    {
      type: 'm.room.member',
      stateKey: target,
      sender,
      content,
      roomId,
      prevEvents: extremities.map((x) => x.eventId),
      authEvents: authEventIds,
      depth: Math.max(snapshot.maxDepth, ...extremities.map((x) => x.depth)) + 1,
      originServerTs: deps.clock.now(),
      ...(version.eventIdFormat === 'server-assigned' ? { eventId: `$${randomBytes(18).toString('base64url')}:${deps.serverName}` } : {}),
    },
    { roomVersion: version, serverName: deps.serverName, signingKey: deps.signingKey },
  );
  const createId = version.roomIdIsCreateEventHash ? [`$${roomId.slice(1)}`] : [];
  const stateIds = snapshot.currentState.filter((e) => PREJOIN_TYPES.has(e.type) || (e.type === 'm.room.member' && e.stateKey === sender)).map((e) => e.eventId);
  const loaded = await getEvents(deps.db, [...new Set([...authEventIds, ...createId, ...stateIds])]);
  const authEvents = [...createId, ...authEventIds].map((id) => loaded.get(id)).filter((e) => e !== undefined).map((e) => parsePdu(e.pdu as JsonObject, version));
  const verdict = checkAuth(event, authStateFromEvents(authEvents));
  if (!verdict.allowed) throw new MatrixError(403, 'M_FORBIDDEN', `${sender} may not invite ${target} to ${roomId}: ${verdict.reason}`);
  const strippedState = stateIds
    .map((id) => loaded.get(id))
    .filter((e) => e !== undefined)
    .map((e) => ({ type: e.type, state_key: e.stateKey ?? '', sender: e.sender, content: (e.pdu['content'] ?? {}) as JsonObject }));
  return { event, strippedState };
}

/**
 * Sends the invite to the invitee's server and returns the event it answers: invite v2, or for
 * a room of version 1 or 2 whose server lacks v2, the deprecated v1 (as Synapse falls back).
 */
async function sendInvite(federation: RemoteServers, server: string, event: RoomEvent, strippedState: JsonObject[], what: string): Promise<unknown> {
  const path = (v: string) => `/_matrix/federation/${v}/invite/${seg(event.roomId)}/${seg(event.eventId)}`;
  try {
    const answer = await federation.client.request<JsonObject>({ destination: server, method: 'PUT', path: path('v2'), body: { room_version: event.roomVersion.id, event: event.pdu, invite_room_state: strippedState } });
    return answer['event'];
  } catch (error) {
    if (!unknownEndpoint(error)) throw remoteFailure(error, what);
    if (event.roomVersion.eventIdFormat !== 'server-assigned') {
      throw new MatrixError(400, 'M_UNSUPPORTED_ROOM_VERSION', `${what}: ${server} does not support room version ${event.roomVersion.id}`);
    }
  }
  try {
    const body = { ...event.pdu, unsigned: { ...(isJsonObject(event.pdu['unsigned']) ? event.pdu['unsigned'] : {}), invite_room_state: strippedState } };
    const answer = await federation.client.request<unknown>({ destination: server, method: 'PUT', path: path('v1'), body });
    // v1 answers [200, {event}].
    const inner = Array.isArray(answer) ? answer[1] : answer;
    return isJsonObject(inner) ? inner['event'] : undefined;
  } catch (error) {
    throw remoteFailure(error, what);
  }
}

/** Invites `target` (a user of another server) to `roomId`; resolves once this process can read the invite. */
export async function inviteThroughFederation(
  deps: RoomsDeps & { readonly federation: RemoteServers },
  request: { readonly roomId: string; readonly sender: string; readonly target: string; readonly content: JsonObject },
): Promise<string> {
  const { roomId, sender, target } = request;
  const server = serverOf(target)!;
  if (!deps.federation.allows(server)) throw new MatrixError(403, 'M_FORBIDDEN', `cannot invite ${target}: this server does not federate with ${server}`);
  const { event, strippedState } = await buildInvite(deps, roomId, sender, target, request.content);
  const signed = await sendInvite(deps.federation, server, event, strippedState, `inviting ${target} to ${roomId}`);
  let countersigned: RoomEvent | undefined;
  try {
    countersigned = isJsonObject(signed) ? parsePdu(signed, event.roomVersion) : undefined;
  } catch (error) {
    // Synapse's answer too: what came back is not an event of the room's version.
    throw new MatrixError(400, 'M_BAD_JSON', `${server} returned an invite of ${target} that is not valid in room version ${event.roomVersion.id}: ${(error as Error).message}`);
  }
  const signatures = countersigned?.pdu['signatures'];
  if (!countersigned || countersigned.eventId !== event.eventId || !isJsonObject(signatures) || !isJsonObject(signatures[server])) {
    throw new MatrixError(502, 'M_UNKNOWN', `${server} did not return the invite of ${target} signed by itself`);
  }
  const reply = await deps.rooms.ingest(roomId, { pdu: countersigned.pdu, origin: deps.serverName, kind: 'new' });
  if (!reply.ok) throw failureError(reply);
  if (reply.outcome === 'rejected' || reply.outcome === 'soft_failed') {
    throw new MatrixError(403, 'M_FORBIDDEN', `the invite of ${target} to ${roomId} was not allowed: ${reply.reason ?? reply.outcome}`);
  }
  await deps.waitForEvents?.(reply);
  return reply.eventId;
}
