// Leaving a room this server is not in (server-server API "Leaving Rooms (Rejecting Invites)"):
// rejecting an invite received from another server, or withdrawing a knock. make_leave for a
// template, our leave built and signed from it, send_leave v2, then the leave is recorded here
// (out of band when the room is not held) so the user's /sync moves the room to `leave`.
import { MatrixError, notFound } from '@homeserver/http';
import { buildEvent, findRoomVersion, isJsonObject, roomVersion, type JsonObject } from '@homeserver/matrix';
import { getEvent, getRoom } from '@homeserver/storage';
import { randomBytes } from 'node:crypto';
import { failureError } from '../room-writes.ts';
import type { RoomsDeps } from '../rooms-deps.ts';
import { buildFromTemplate } from './membership-template.ts';
import { candidateServers, remoteFailure, seg, type RemoteServers } from './remote-servers.ts';

interface MakeLeaveAnswer {
  readonly event?: unknown;
  readonly room_version?: unknown;
}

/** Leaves `roomId` through one of `servers`; resolves once this process can read the leave. */
export async function leaveThroughFederation(
  deps: RoomsDeps & { readonly federation: RemoteServers },
  request: { readonly roomId: string; readonly userId: string; readonly servers: ReadonlyArray<string | undefined>; readonly content: JsonObject },
): Promise<string> {
  const { roomId, userId } = request;
  const servers = candidateServers(deps.federation, request.servers, deps.serverName);
  if (servers.length === 0) throw notFound(`no server to leave ${roomId} through is known`);
  let failure: MatrixError | undefined;
  for (const server of servers) {
    let made: MakeLeaveAnswer;
    try {
      made = await deps.federation.client.request<MakeLeaveAnswer>({ destination: server, method: 'GET', path: `/_matrix/federation/v1/make_leave/${seg(roomId)}/${seg(userId)}` });
    } catch (error) {
      failure = remoteFailure(error, `leaving ${roomId} through ${server}`);
      continue;
    }
    const versionId = typeof made.room_version === 'string' ? made.room_version : '1';
    const version = findRoomVersion(versionId);
    const leave = version && isJsonObject(made.event) ? buildFromTemplate(deps, made.event, { version, roomId, userId, membership: 'leave', content: request.content }) : undefined;
    if (!version || !leave) {
      failure = new MatrixError(502, 'M_UNKNOWN', `${server} answered make_leave for ${roomId} with an unusable template`);
      continue;
    }
    try {
      await deps.federation.client.request({ destination: server, method: 'PUT', path: `/_matrix/federation/v2/send_leave/${seg(roomId)}/${seg(leave.eventId)}`, body: leave.pdu });
    } catch (error) {
      failure = remoteFailure(error, `leaving ${roomId} through ${server}`);
      continue;
    }
    const reply = await deps.rooms.recordRemoteLeave(roomId, { pdu: leave.pdu, roomVersion: version.id, origin: server });
    if (!reply.ok) throw failureError(reply);
    await deps.waitForEvents?.(reply);
    return reply.eventId;
  }
  throw failure!;
}

/** The room version the inviting server's stripped state names (its create event's content). */
function inviteRoomVersion(pdu: JsonObject): string {
  const unsigned = isJsonObject(pdu['unsigned']) ? pdu['unsigned'] : {};
  const state = Array.isArray(unsigned['invite_room_state']) ? unsigned['invite_room_state'] : [];
  const create = state.find((e) => isJsonObject(e) && e['type'] === 'm.room.create');
  const version = isJsonObject(create) && isJsonObject(create['content']) ? create['content']['room_version'] : undefined;
  if (typeof version === 'string') return version;
  // Without it (a v1 invite carries no create event), the invite's own ID format: a
  // server-assigned `$x:server` is a room of version 1 or 2, else v10's event format. The leave
  // stays on this server, so only its shape matters.
  return typeof pdu['event_id'] === 'string' && pdu['event_id'].includes(':') ? '1' : '10';
}

/**
 * Rejects an invite when no server in the room can be reached (as Synapse's local rejection):
 * a leave signed by us, following the invite, recorded here only. The inviting server keeps
 * showing the invite until it hears otherwise.
 */
export async function rejectInviteLocally(deps: RoomsDeps, request: { readonly roomId: string; readonly userId: string; readonly inviteEventId: string; readonly content: JsonObject }): Promise<string> {
  const invite = await getEvent(deps.db, request.inviteEventId);
  if (!invite) throw notFound(`the invite ${request.inviteEventId} of ${request.userId} is not stored here`);
  const versionId = (await getRoom(deps.db, request.roomId))?.roomVersion ?? inviteRoomVersion(invite.pdu as JsonObject);
  const version = findRoomVersion(versionId) ?? roomVersion('10');
  const leave = buildEvent(
    {
      type: 'm.room.member',
      stateKey: request.userId,
      sender: request.userId,
      content: { ...request.content, membership: 'leave' },
      roomId: request.roomId,
      prevEvents: [invite.eventId],
      authEvents: [invite.eventId],
      depth: invite.depth + 1,
      originServerTs: deps.clock.now(),
      ...(version.eventIdFormat === 'server-assigned' ? { eventId: `$${randomBytes(18).toString('base64url')}:${deps.serverName}` } : {}),
    },
    { roomVersion: version, serverName: deps.serverName, signingKey: deps.signingKey },
  );
  const reply = await deps.rooms.recordRemoteLeave(request.roomId, { pdu: leave.pdu, roomVersion: version.id, origin: deps.serverName });
  if (!reply.ok) throw failureError(reply);
  await deps.waitForEvents?.(reply);
  return reply.eventId;
}
