// Who may read what of a room. Access (may the user read this room at all?) needs a membership
// now or in the past, or a world_readable room; per-event visibility follows
// m.room.history_visibility as it was before each event and the user's membership then:
// world_readable → everyone; shared → joined at the event or at any point after it; invited → invited
// or joined at the event; joined → joined at the event. A user always sees their own
// membership events, and a user who left sees nothing after leaving.
import { forbidden } from '@homeserver/http';
import { getMembershipHistory, getCurrentStateEvent, type MembershipRow, type Queryable, type StoredEvent } from '@homeserver/storage';

export interface RoomAccess {
  /** The user's current membership ('leave' when they never were a member). */
  readonly membership: string;
  readonly history: readonly MembershipRow[];
  readonly worldReadable: boolean;
  /** For users no longer in the room: the stream position of their leaving (reads stop there). */
  readonly leftAt: number | undefined;
}

async function visibilityChanges(db: Queryable, roomId: string): Promise<Array<{ position: number; value: string }>> {
  const { rows } = await db.query<{ stream_ordering: number; json: string }>(
    `SELECT stream_ordering, json FROM events WHERE room_id = $1 AND type = 'm.room.history_visibility' AND state_key = '' AND rejected IS NULL ORDER BY stream_ordering`,
    [roomId],
  );
  return rows.map((row) => {
    const value = (JSON.parse(row.json) as { content?: { history_visibility?: unknown } }).content?.history_visibility;
    return { position: Number(row.stream_ordering), value: typeof value === 'string' ? value : 'shared' };
  });
}

/** The user's access to a room; throws 403 M_FORBIDDEN when they may read nothing. */
export async function roomAccess(db: Queryable, roomId: string, userId: string): Promise<RoomAccess> {
  const history = await getMembershipHistory(db, roomId, userId);
  const membership = history.at(-1)?.membership ?? 'leave';
  const hv = await getCurrentStateEvent(db, roomId, { type: 'm.room.history_visibility', stateKey: '' });
  const worldReadable = (hv?.pdu['content'] as { history_visibility?: unknown } | undefined)?.history_visibility === 'world_readable';
  const wasMember = history.some((row) => row.membership === 'join' || row.membership === 'invite');
  if (membership !== 'join' && !wasMember && !worldReadable) {
    throw forbidden(`user ${userId} is not in room ${roomId}`);
  }
  const leftAt = membership === 'join' || membership === 'invite' ? undefined : history.at(-1)?.streamOrdering;
  return { membership, history, worldReadable, leftAt };
}

/** Throws 403 unless the user is joined now. */
export async function requireJoined(db: Queryable, roomId: string, userId: string): Promise<RoomAccess> {
  const access = await roomAccess(db, roomId, userId);
  if (access.membership !== 'join') throw forbidden(`user ${userId} is not joined to room ${roomId}`);
  return access;
}

/** Keeps the events the user may see, in the given order. */
export async function filterVisible(db: Queryable, userId: string, access: RoomAccess, events: readonly StoredEvent[]): Promise<StoredEvent[]> {
  if (events.length === 0) return [];
  const changes = await visibilityChanges(db, events[0]!.roomId);
  return events.filter((event) => {
    if (event.type === 'm.room.member' && event.stateKey === userId) return true;
    let visibility = 'shared';
    for (const change of changes) if (change.position < event.streamOrdering) visibility = change.value;
    if (visibility === 'world_readable') return true;
    let at: string | undefined;
    for (const row of access.history) if (row.streamOrdering < event.streamOrdering) at = row.membership;
    if (at === 'join') return true;
    // shared: members see history from before they joined, up to when they left.
    if (visibility === 'shared') return access.membership === 'join' || access.history.some((row) => row.membership === 'join' && row.streamOrdering > event.streamOrdering);
    if (visibility === 'invited') return at === 'invite';
    return false;
  });
}
