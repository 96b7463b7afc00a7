// Erasure as Synapse applies it (POST /_synapse/admin/v1/deactivate with erase, or
// /account/deactivate with erase): a reader who was not joined when an erased user sent an event
// (one who joined later, or reads a world_readable room) gets that event redacted; members who
// saw it at the time keep seeing it whole. Applied after history visibility by every read path.
import { redactEvent, roomVersion, type JsonObject } from '@homeserver/matrix';
import { getRoom, type Queryable, type StoredEvent } from '@homeserver/storage';
import type { MembershipPoint } from './history-visibility.ts';

/** Whether the reader was joined just before the event (their own membership history, oldest first). */
function joinedAt(history: readonly MembershipPoint[], position: number): boolean {
  let at: string | undefined;
  for (const row of history) {
    if (row.streamOrdering < position) at = row.membership;
    else break;
  }
  return at === 'join';
}

export interface ErasureReader {
  readonly userId: string;
  /** The reader's membership events in the room, oldest first (or how to load them, when needed). */
  readonly history: readonly MembershipPoint[] | (() => Promise<readonly MembershipPoint[]>);
  /** The reader is known to be joined from this position on: later events need no look-up. Default: none. */
  readonly joinedSince?: number;
}

/**
 * Returns `events` with those of erased senders the reader was not joined at replaced by their
 * redacted form (same order; events without a PDU, and the reader's own, are left as they are).
 * One query for the erased senders when any event may need it, none otherwise.
 */
export async function redactErasedFor<T>(db: Queryable, events: readonly T[], reader: ErasureReader): Promise<T[]> {
  const known = typeof reader.history === 'function' ? undefined : reader.history;
  const candidates = (events as readonly unknown[]).filter((e): e is StoredEvent => {
    if (typeof e !== 'object' || e === null || !('pdu' in e)) return false;
    const event = e as StoredEvent;
    if (event.sender === reader.userId) return false;
    if (reader.joinedSince !== undefined && event.streamOrdering > reader.joinedSince) return false;
    return known === undefined || !joinedAt(known, event.streamOrdering);
  });
  if (candidates.length === 0) return [...events];
  const senders = [...new Set(candidates.map((e) => e.sender))];
  const { rows } = await db.query<{ user_id: string }>('SELECT user_id FROM erased_users WHERE user_id = ANY($1::text[])', [senders]);
  if (rows.length === 0) return [...events];
  const erased = new Set(rows.map((r) => r.user_id));
  const history = known ?? (await (reader.history as () => Promise<readonly MembershipPoint[]>)());
  const prune = new Set(candidates.filter((e) => erased.has(e.sender) && !joinedAt(history, e.streamOrdering)));
  const versions = new Map<string, string>();
  const out: T[] = [];
  for (const event of events) {
    if (!prune.has(event as StoredEvent)) {
      out.push(event);
      continue;
    }
    const stored = event as StoredEvent;
    let version = versions.get(stored.roomId);
    if (version === undefined) {
      version = (await getRoom(db, stored.roomId))?.roomVersion ?? '10';
      versions.set(stored.roomId, version);
    }
    out.push({ ...stored, pdu: redactEvent(stored.pdu as JsonObject, roomVersion(version)) } as T);
  }
  return out;
}
