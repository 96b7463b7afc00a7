// Inviting a user of another server (server-server API "Inviting to a room"): the invite is
// built on the room's current state and signed by us, checked against that state, sent to the
// invitee's server (invite v2) which adds its signature, and only then handed to the room
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
import { remoteFailure, seg, serverOf, type RemoteServers } from './remote-servers.ts';

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

/** Invites `target` (a user of another server) to `roomId`; resolves once this process can read the invite. */
export async function inviteThroughFederation(
  deps: RoomsDeps & { readonly federation: RemoteServers },
  request: { readonly roomId: string; readonly sender: string; readonly target: string; readonly content: JsonObject },
): Promise<string> {
  const { roomId, sender, target } = request;
  const server = serverOf(target)!;
  if (!deps.federation.allows(server)) throw new MatrixError(403, 'M_FORBIDDEN', `cannot invite ${target}: this server does not federate with ${server}`);
  const { event, strippedState } = await buildInvite(deps, roomId, sender, target, request.content);
  let answer: JsonObject;
  try {
    answer = await deps.federation.client.request({
      destination: server,
      method: 'PUT',
      path: `/_matrix/federation/v2/invite/${seg(roomId)}/${seg(event.eventId)}`,
      body: { room_version: event.roomVersion.id, event: event.pdu, invite_room_state: strippedState },
    });
  } catch (error) {
    throw remoteFailure(error, `inviting ${target} to ${roomId}`);
  }
  const signed = answer['event'];
  let countersigned: RoomEvent | undefined;
  try {
    countersigned = isJsonObject(signed) ? parsePdu(signed, event.roomVersion) : undefined;
  } catch {
    countersigned = undefined;
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
