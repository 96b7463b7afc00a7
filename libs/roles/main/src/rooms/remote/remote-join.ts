// Joining a room this server is not in, through a server that is (server-server API "Joining
// Rooms"): make_join for a template, our join built and signed from it, send_join v2 (v1 when
// the server has no v2) for the room's state and auth chain, then the room input checks and
// persists all of it. Each
// candidate server is tried in turn until one gets us in.
import { MatrixError, notFound } from '@homeserver/http';
import { findRoomVersion, isJsonObject, knownRoomVersions, parsePdu, type JsonObject, type RoomEvent, type RoomVersion } from '@homeserver/matrix';
import { failureError } from '../room-writes.ts';
import type { RoomsDeps } from '../rooms-deps.ts';
import { buildFromTemplate } from './membership-template.ts';
import { candidateServers, remoteFailure, seg, unknownEndpoint, type RemoteServers } from './remote-servers.ts';

/** A large room's send_join answer is big and slow to assemble: wait longer than for a query. */
const SEND_JOIN_TIMEOUT_MS = 180_000;

interface MakeJoinAnswer {
  readonly event?: unknown;
  readonly room_version?: unknown;
}

interface SendJoinAnswer {
  readonly state?: unknown;
  readonly auth_chain?: unknown;
  readonly event?: unknown;
}

/** A list of PDUs from an answer, or undefined when it is not one. */
function pduList(value: unknown): JsonObject[] | undefined {
  return Array.isArray(value) && value.every(isJsonObject) ? (value as JsonObject[]) : undefined;
}

/** The resident's copy of our join (it may add its signature), when it is the same event. */
function joinFromAnswer(answer: SendJoinAnswer, ours: RoomEvent, version: RoomVersion): JsonObject {
  if (!isJsonObject(answer.event)) return ours.pdu;
  try {
    return parsePdu(answer.event, version).eventId === ours.eventId ? answer.event : ours.pdu;
  } catch {
    return ours.pdu;
  }
}

/** send_join v2, or the deprecated v1 (its answer wrapped in [200, ...]) when the server has no v2, as Synapse falls back. */
async function sendJoin(federation: RemoteServers, server: string, roomId: string, eventId: string, pdu: JsonObject): Promise<SendJoinAnswer> {
  const request = (version: 'v1' | 'v2') => federation.client.request<unknown>({ destination: server, method: 'PUT', path: `/_matrix/federation/${version}/send_join/${seg(roomId)}/${seg(eventId)}`, body: pdu, timeoutMs: SEND_JOIN_TIMEOUT_MS });
  try {
    return (await request('v2')) as SendJoinAnswer;
  } catch (error) {
    if (!unknownEndpoint(error)) throw error;
  }
  const answer = await request('v1');
  return (Array.isArray(answer) ? answer[1] : answer) as SendJoinAnswer;
}

/**
 * Joins `userId` to `roomId` through one of `servers`; resolves with the join's event ID once
 * this process can read it. `content` is the member event's content besides `membership`.
 */
export async function joinThroughFederation(
  deps: RoomsDeps & { readonly federation: RemoteServers },
  request: { readonly roomId: string; readonly userId: string; readonly servers: ReadonlyArray<string | undefined>; readonly content: JsonObject },
): Promise<string> {
  const { roomId, userId } = request;
  const servers = candidateServers(deps.federation, request.servers, deps.serverName);
  if (servers.length === 0) throw notFound(`room ${roomId} is not known to this server and no other server to join it through is known`);
  const versions = knownRoomVersions().map((v) => `ver=${encodeURIComponent(v.id)}`).join('&');
  let failure: MatrixError | undefined;
  for (const server of servers) {
    let made: MakeJoinAnswer;
    try {
      made = await deps.federation.client.request<MakeJoinAnswer>({ destination: server, method: 'GET', path: `/_matrix/federation/v1/make_join/${seg(roomId)}/${seg(userId)}?${versions}` });
    } catch (error) {
      failure = remoteFailure(error, `joining ${roomId} through ${server}`);
      continue;
    }
    const versionId = typeof made.room_version === 'string' ? made.room_version : '1';
    const version = findRoomVersion(versionId);
    if (!version) {
      failure = new MatrixError(400, 'M_UNSUPPORTED_ROOM_VERSION', `room ${roomId} has version ${versionId}, which this server does not support`);
      continue;
    }
    const join = isJsonObject(made.event) ? buildFromTemplate(deps, made.event, { version, roomId, userId, membership: 'join', content: request.content }) : undefined;
    if (!join) {
      failure = new MatrixError(502, 'M_UNKNOWN', `${server} answered make_join for ${roomId} with an unusable template`);
      continue;
    }
    let answer: SendJoinAnswer;
    try {
      answer = await sendJoin(deps.federation, server, roomId, join.eventId, join.pdu);
    } catch (error) {
      failure = remoteFailure(error, `joining ${roomId} through ${server}`);
      continue;
    }
    const state = pduList(answer.state);
    const authChain = pduList(answer.auth_chain);
    if (!state || !authChain) {
      failure = new MatrixError(502, 'M_UNKNOWN', `${server} answered send_join for ${roomId} without state and auth_chain lists`);
      continue;
    }
    const reply = await deps.rooms.joinRemoteRoom(roomId, { roomVersion: version.id, join: joinFromAnswer(answer, join, version), state, authChain, origin: server });
    if (!reply.ok) {
      // Our own room input is not there right now: another server would not help.
      if (reply.kind === 'Unavailable') throw failureError(reply);
      failure = failureError(reply);
      continue;
    }
    await deps.waitForEvents?.(reply);
    return reply.eventId;
  }
  throw failure!;
}
