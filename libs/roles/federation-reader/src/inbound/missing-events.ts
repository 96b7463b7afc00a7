// Filling the gap before a PDU whose prev events (or auth events) are not stored here: ask the
// sending server for the missing events between our forward extremities and the PDU
// (/get_missing_events, at most 10 at a time, as Synapse asks), ingest them oldest first at the
// tip, and fetch unknown auth events one by one (/event) as outliers. What cannot be filled
// is bridged with the sender's state at the gap (/state_ids, then /event for what is unknown),
// as Synapse does when get_missing_events cannot close it.
import type { Federation } from '@homeserver/federation';
import { isJsonObject, parsePdu, type JsonObject, type RoomEvent } from '@homeserver/matrix';
import type { RoomClient } from '@homeserver/services';
import { getEventFlags, getEvents, getForwardExtremities, type Queryable } from '@homeserver/storage';
import type { Logger } from 'pino';

export interface GapDeps {
  readonly db: Queryable;
  readonly federation: Federation;
  readonly rooms: RoomClient;
  readonly logger: Logger;
}

const MISSING_LIMIT = 10;
const MAX_AUTH_FETCH = 50;

/** IDs among `ids` not stored here, and those stored without state (outliers) when `withState`. */
async function unknown(db: Queryable, ids: readonly string[], withState: boolean): Promise<string[]> {
  const flags = await getEventFlags(db, ids);
  return ids.filter((id) => {
    const flag = flags.get(id);
    return flag === undefined || (withState && flag.stateGroupAfter === undefined);
  });
}

function depthOf(pdu: JsonObject): number {
  return typeof pdu['depth'] === 'number' ? pdu['depth'] : 0;
}

/** Fetches unknown auth events of `event` from `origin` and stores them as outliers (their own auth events first). */
export async function fetchMissingAuthEvents(event: RoomEvent, origin: string, deps: GapDeps): Promise<void> {
  const queue = await unknown(deps.db, event.authEventIds, false);
  const fetched: JsonObject[] = [];
  const seen = new Set(queue);
  while (queue.length > 0 && fetched.length < MAX_AUTH_FETCH) {
    const id = queue.shift()!;
    const answer = await deps.federation.client.request<{ pdus?: unknown[] }>({ destination: origin, method: 'GET', path: `/_matrix/federation/v1/event/${encodeURIComponent(id)}` });
    const pdu = answer.pdus?.[0];
    if (!isJsonObject(pdu)) continue;
    fetched.push(pdu);
    const more = Array.isArray(pdu['auth_events']) ? pdu['auth_events'].map((a) => (Array.isArray(a) ? a[0] : a)).filter((a): a is string => typeof a === 'string') : [];
    for (const next of await unknown(deps.db, more, false)) {
      if (seen.has(next)) continue;
      seen.add(next);
      queue.push(next);
    }
  }
  for (const pdu of fetched.sort((a, b) => depthOf(a) - depthOf(b))) {
    await deps.rooms.ingest(event.roomId, { pdu, origin, kind: 'outlier' });
  }
}

/** Asks `origin` for the events between our extremities and `event`, and ingests them at the tip, oldest first. */
export async function fillPrevEvents(event: RoomEvent, origin: string, deps: GapDeps): Promise<void> {
  if ((await unknown(deps.db, event.prevEventIds, true)).length === 0) return;
  const earliest = (await getForwardExtremities(deps.db, event.roomId)).map((x) => x.eventId);
  const minDepth = Math.max(0, Math.min(...(await getForwardExtremities(deps.db, event.roomId)).map((x) => x.depth)));
  let answer: { events?: unknown[] };
  try {
    answer = await deps.federation.client.request<{ events?: unknown[] }>({
      destination: origin,
      method: 'POST',
      path: `/_matrix/federation/v1/get_missing_events/${encodeURIComponent(event.roomId)}`,
      body: { earliest_events: earliest, latest_events: [event.eventId], limit: MISSING_LIMIT, min_depth: Number.isFinite(minDepth) ? minDepth : 0 },
    });
  } catch (error) {
    deps.logger.warn({ err: error, roomId: event.roomId, eventId: event.eventId, origin }, 'could not fetch the missing prev events');
    return;
  }
  const missing = (answer.events ?? []).filter(isJsonObject).sort((a, b) => depthOf(a) - depthOf(b));
  for (const pdu of missing) {
    let reply = await deps.rooms.ingest(event.roomId, { pdu, origin, kind: 'new' });
    if (!reply.ok && reply.kind === 'NotFound') {
      // One round only, as Synapse: a fetched event whose own prev events are unknown is
      // bridged with the sender's state at them rather than asking for more history.
      const fetched = parsedIn(event, pdu);
      if (fetched) {
        await fetchMissingAuthEvents(fetched, origin, deps).catch((error: unknown) => deps.logger.warn({ err: error, eventId: fetched.eventId }, 'could not fetch missing auth events'));
        const stateBefore = await stateAcrossGap(fetched, origin, deps);
        if (stateBefore) reply = await deps.rooms.ingest(event.roomId, { pdu, origin, kind: 'new', stateBefore });
      }
    }
    if (!reply.ok) deps.logger.info({ roomId: event.roomId, origin, kind: reply.kind, reason: reply.reason }, 'a fetched missing event was not stored');
  }
}

/** `pdu` parsed in the room version of `event`, or undefined when malformed. */
function parsedIn(event: RoomEvent, pdu: JsonObject): RoomEvent | undefined {
  try {
    return parsePdu(pdu, event.roomVersion);
  } catch {
    return undefined;
  }
}

const MAX_STATE_FETCH = 1000;

async function fetchPdu(roomId: string, eventId: string, origin: string, deps: GapDeps): Promise<JsonObject | undefined> {
  const answer = await deps.federation.client.request<{ pdus?: unknown[] }>({ destination: origin, method: 'GET', path: `/_matrix/federation/v1/event/${encodeURIComponent(eventId)}` });
  const pdu = answer.pdus?.[0];
  return isJsonObject(pdu) && pdu['room_id'] === roomId ? pdu : undefined;
}

/**
 * The state before `event` when its prev events stay unknown after get_missing_events: the
 * sender's state at its (first) missing prev event (/state_ids), the events of that state and
 * their auth chains fetched (/event) and stored as outliers, plus the prev event itself when it
 * is state. Undefined when nothing is missing or the sender cannot say.
 */
export async function stateAcrossGap(event: RoomEvent, origin: string, deps: GapDeps): Promise<string[] | undefined> {
  const prevId = (await unknown(deps.db, event.prevEventIds, true))[0];
  if (prevId === undefined) return undefined;
  try {
    const ids = await deps.federation.client.request<{ pdu_ids?: unknown[]; auth_chain_ids?: unknown[] }>({
      destination: origin,
      method: 'GET',
      path: `/_matrix/federation/v1/state_ids/${encodeURIComponent(event.roomId)}?event_id=${encodeURIComponent(prevId)}`,
    });
    const stateIds = (ids.pdu_ids ?? []).filter((id): id is string => typeof id === 'string');
    const authIds = (ids.auth_chain_ids ?? []).filter((id): id is string => typeof id === 'string');
    const wanted = await unknown(deps.db, [...new Set([...authIds, ...stateIds, prevId])], false);
    if (wanted.length > MAX_STATE_FETCH) throw new Error(`the state across the gap has ${wanted.length} unknown events, more than ${MAX_STATE_FETCH}`);
    const fetched = new Map<string, JsonObject>();
    for (const id of wanted) {
      const pdu = await fetchPdu(event.roomId, id, origin, deps);
      if (pdu) fetched.set(id, pdu);
    }
    for (const pdu of [...fetched.values()].sort((a, b) => depthOf(a) - depthOf(b))) await deps.rooms.ingest(event.roomId, { pdu, origin, kind: 'outlier' });
    // The state after the prev event: the state before it, with the prev event itself when it is state.
    const prev = fetched.get(prevId) ?? (await fetchPdu(event.roomId, prevId, origin, deps));
    const prevKey = prev && typeof prev['state_key'] === 'string' ? `${String(prev['type'])}\u0000${prev['state_key']}` : undefined;
    if (prevKey === undefined) return stateIds;
    const keys = await stateKeys(deps.db, stateIds);
    return [...stateIds.filter((id) => keys.get(id) !== prevKey), prevId];
  } catch (error) {
    deps.logger.warn({ err: error, roomId: event.roomId, eventId: event.eventId, origin }, 'could not fetch the state across a gap');
    return undefined;
  }
}

async function stateKeys(db: Queryable, ids: readonly string[]): Promise<Map<string, string>> {
  const events = await getEvents(db, ids);
  return new Map([...events].map(([id, e]) => [id, `${e.type}\u0000${e.stateKey ?? ''}`]));
}
