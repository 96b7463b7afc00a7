// Backfill (server-server API "Backfilling and retrieving missing events"): when /messages
// reaches the oldest events this server holds of a room that goes back further, it asks a server
// in the room for the history before them and hands it to the room input as `backfilled` PDUs,
// newest first, so each lands behind the one before it (outliers it reaches, such as the state a
// join came with, enter the timeline). Auth events of that history that are not held here are
// fetched first (/event_auth) and stored as outliers.
import { isJsonObject, parsePdu, roomVersion, type JsonObject, type RoomEvent, type RoomVersion } from '@homeserver/matrix';
import { getBackwardExtremities, getEventFlags, getRoom, getRoomMembers } from '@homeserver/storage';
import type { RoomsDeps } from '../rooms-deps.ts';
import { candidateServers, seg, serverOf, type RemoteServers } from './remote-servers.ts';

/** Backward extremities asked about in one /backfill request. */
const EXTREMITIES_PER_REQUEST = 5;
/** Servers tried before giving up on one backfill. */
const SERVERS_TRIED = 3;

/**
 * Rooms whose backfill last stored nothing, with the extremities it was asked from: asking
 * again from the same ones would not help (e.g. history that reaches only outliers), so /messages
 * at the start of such a room does not ask every time. Bounded; any new extremity asks again.
 */
const exhausted = new Map<string, string>();
const EXHAUSTED_KEPT = 10_000;

export interface BackfillOptions {
  /** How many events to ask for. */
  readonly limit: number;
}

/** Servers with joined members in the room, the most members first. */
async function serversInRoom(deps: RoomsDeps & { readonly federation: RemoteServers }, roomId: string): Promise<string[]> {
  const counts = new Map<string, number>();
  for (const member of await getRoomMembers(deps.db, roomId, { memberships: ['join'] })) {
    const server = serverOf(member.userId);
    if (server !== undefined) counts.set(server, (counts.get(server) ?? 0) + 1);
  }
  const ordered = [...counts].sort((a, b) => b[1] - a[1]).map(([server]) => server);
  return candidateServers(deps.federation, ordered, deps.serverName).slice(0, SERVERS_TRIED);
}

function parseAll(pdus: unknown, roomId: string, version: RoomVersion): RoomEvent[] {
  if (!Array.isArray(pdus)) return [];
  const out: RoomEvent[] = [];
  for (const pdu of pdus) {
    if (!isJsonObject(pdu)) continue;
    try {
      const event = parsePdu(pdu, version);
      if (event.roomId === roomId) out.push(event);
    } catch {
      // A malformed PDU in an answer is skipped; the others still count.
    }
  }
  return out;
}

/** Stores the missing auth chain of `event` (from /event_auth) as outliers, oldest first. */
async function fetchAuthChain(deps: RoomsDeps & { readonly federation: RemoteServers }, server: string, event: RoomEvent): Promise<void> {
  const answer = await deps.federation.client.request({ destination: server, method: 'GET', path: `/_matrix/federation/v1/event_auth/${seg(event.roomId)}/${seg(event.eventId)}` });
  const chain = parseAll(answer['auth_chain'], event.roomId, event.roomVersion).sort((a, b) => a.depth - b.depth);
  const held = await getEventFlags(deps.db, chain.map((e) => e.eventId));
  let pending = chain.filter((e) => !held.has(e.eventId));
  // Depth orders an auth chain nearly always; a pass that stores nothing more ends the loop.
  while (pending.length > 0) {
    const left: RoomEvent[] = [];
    for (const authEvent of pending) {
      const reply = await deps.rooms.ingest(event.roomId, { pdu: authEvent.pdu, origin: server, kind: 'outlier' });
      if (!reply.ok && reply.kind === 'NotFound') left.push(authEvent);
    }
    if (left.length === pending.length) return;
    pending = left;
  }
}

/**
 * Asks servers in the room for history before what this server holds, and stores it. Resolves
 * with how many events were newly stored (0 when nothing older is known or nobody answered).
 */
export async function backfillRoom(deps: RoomsDeps & { readonly federation: RemoteServers }, roomId: string, options: BackfillOptions): Promise<number> {
  const room = await getRoom(deps.db, roomId);
  if (!room) return 0;
  const extremities = await getBackwardExtremities(deps.db, roomId, EXTREMITIES_PER_REQUEST);
  if (extremities.length === 0) return 0;
  const key = extremities.join(' ');
  if (exhausted.get(roomId) === key) return 0;
  const version = roomVersion(room.roomVersion);
  const query = [...extremities.map((id) => `v=${encodeURIComponent(id)}`), `limit=${options.limit}`].join('&');
  let answered = false;
  for (const server of await serversInRoom(deps, roomId)) {
    let answer: JsonObject;
    try {
      answer = await deps.federation.client.request({ destination: server, method: 'GET', path: `/_matrix/federation/v1/backfill/${seg(roomId)}?${query}` });
    } catch {
      continue;
    }
    answered = true;
    const events = parseAll(answer['pdus'], roomId, version);
    const held = await getEventFlags(deps.db, events.map((e) => e.eventId));
    // Newest first: each one is stored behind the one stored before it. Events held only as
    // outliers (the state and invite a join came with) go in too: the room input takes them
    // into the timeline.
    const fresh = events.filter((e) => !held.has(e.eventId) || (held.get(e.eventId)!.outlier && !held.get(e.eventId)!.rejected)).sort((a, b) => b.depth - a.depth || (a.eventId < b.eventId ? 1 : -1));
    let stored = 0;
    for (const event of fresh) {
      let reply = await deps.rooms.ingest(roomId, { pdu: event.pdu, origin: server, kind: 'backfilled' });
      if (!reply.ok && reply.kind === 'NotFound') {
        await fetchAuthChain(deps, server, event).catch(() => undefined);
        reply = await deps.rooms.ingest(roomId, { pdu: event.pdu, origin: server, kind: 'backfilled' });
      }
      if (reply.ok && reply.outcome !== 'duplicate') stored++;
    }
    if (stored > 0) {
      exhausted.delete(roomId);
      return stored;
    }
  }
  // A server that answered with nothing new is remembered; one that could not be reached is not.
  if (answered) {
    if (exhausted.size >= EXHAUSTED_KEPT) exhausted.clear();
    exhausted.set(roomId, key);
  }
  return 0;
}
