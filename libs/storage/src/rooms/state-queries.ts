// Room state: the current state (current_state_events) and the state at any event or stream
// position, read from state groups. A state group is a full snapshot or a delta on a previous
// group; reading one walks its chain (bounded by the snapshot interval) and lets the newest
// entry of each (type, state_key) win.
import type { Queryable } from '../database.ts';
import { EVENT_COLUMNS, toStoredEvent, type EventRow, type StoredEvent } from './event-row.ts';

export interface StateEntry {
  readonly type: string;
  readonly stateKey: string;
  readonly eventId: string;
}

export interface StateTypeFilter {
  /** Only these types. Default: all. */
  readonly types?: readonly string[];
  /** Only these (type, state_key) pairs, added to `types`. Default: none. */
  readonly pairs?: ReadonlyArray<readonly [string, string]>;
}

function filterEntries(entries: StateEntry[], filter: StateTypeFilter | undefined): StateEntry[] {
  if (!filter || (filter.types === undefined && filter.pairs === undefined)) return entries;
  const types = new Set(filter.types ?? []);
  const pairs = new Set((filter.pairs ?? []).map(([type, key]) => `${type}\u0000${key}`));
  return entries.filter((entry) => types.has(entry.type) || pairs.has(`${entry.type}\u0000${entry.stateKey}`));
}

/** The current state of a room as (type, state_key, event_id) entries. */
export async function getCurrentStateIds(db: Queryable, roomId: string, filter?: StateTypeFilter): Promise<StateEntry[]> {
  const { rows } = await db.query<{ type: string; state_key: string; event_id: string }>(
    'SELECT type, state_key, event_id FROM current_state_events WHERE room_id = $1',
    [roomId],
  );
  return filterEntries(rows.map((row) => ({ type: row.type, stateKey: row.state_key, eventId: row.event_id })), filter);
}

/** The current state of a room as full events. */
export async function getCurrentState(db: Queryable, roomId: string, filter?: StateTypeFilter): Promise<StoredEvent[]> {
  const ids = await getCurrentStateIds(db, roomId, filter);
  return loadEvents(db, ids);
}

/** One current state event, e.g. ('m.room.power_levels', ''). */
export async function getCurrentStateEvent(db: Queryable, roomId: string, key: { type: string; stateKey: string }): Promise<StoredEvent | undefined> {
  const { rows } = await db.query<EventRow>(
    `SELECT ${EVENT_COLUMNS} FROM current_state_events c JOIN events e ON e.event_id = c.event_id
      WHERE c.room_id = $1 AND c.type = $2 AND c.state_key = $3`,
    [roomId, key.type, key.stateKey],
  );
  return rows[0] ? toStoredEvent(rows[0]) : undefined;
}

/** The full state of a state group. */
export async function getStateGroupIds(db: Queryable, stateGroup: number, filter?: StateTypeFilter): Promise<StateEntry[]> {
  const { rows } = await db.query<{ type: string; state_key: string; event_id: string }>(
    `WITH RECURSIVE chain(id, prev_group, n) AS (
       SELECT id, prev_group, 0 FROM state_groups WHERE id = $1
       UNION ALL
       SELECT g.id, g.prev_group, c.n + 1 FROM state_groups g JOIN chain c ON g.id = c.prev_group
     )
     SELECT DISTINCT ON (s.type, s.state_key) s.type, s.state_key, s.event_id
       FROM chain c JOIN state_group_entries s ON s.state_group = c.id
      ORDER BY s.type, s.state_key, c.n ASC`,
    [stateGroup],
  );
  return filterEntries(rows.map((row) => ({ type: row.type, stateKey: row.state_key, eventId: row.event_id })), filter);
}

export interface StateAtEventOptions extends StateTypeFilter {
  /** 'before' the event (its auth context) or 'after' it (includes it if it is state). Default: 'after'. */
  readonly when?: 'before' | 'after';
}

/** The room state before or after an event, or undefined if the event or its state is unknown. */
export async function getStateIdsAtEvent(db: Queryable, eventId: string, options: StateAtEventOptions = {}): Promise<StateEntry[] | undefined> {
  const { rows } = await db.query<{ state_group_before: number | null; state_group_after: number | null }>(
    'SELECT state_group_before, state_group_after FROM events WHERE event_id = $1',
    [eventId],
  );
  const row = rows[0];
  if (!row) return undefined;
  const group = (options.when ?? 'after') === 'before' ? row.state_group_before : row.state_group_after;
  if (group === null) return (options.when ?? 'after') === 'before' ? [] : undefined;
  return getStateGroupIds(db, Number(group), options);
}

/** The state group after the last event at or before `position` (undefined if the room had none). */
export async function getStateGroupAtPosition(db: Queryable, roomId: string, position: number): Promise<number | undefined> {
  const { rows } = await db.query<{ state_group_after: number | null }>(
    `SELECT state_group_after FROM events WHERE room_id = $1 AND stream_ordering <= $2 AND state_group_after IS NOT NULL
     ORDER BY stream_ordering DESC LIMIT 1`,
    [roomId, position],
  );
  const group = rows[0]?.state_group_after;
  return group === undefined || group === null ? undefined : Number(group);
}

/** The room state after the last event at or before `position` (empty if the room had none). */
export async function getStateIdsAtPosition(db: Queryable, roomId: string, position: number, filter?: StateTypeFilter): Promise<StateEntry[]> {
  const group = await getStateGroupAtPosition(db, roomId, position);
  return group === undefined ? [] : getStateGroupIds(db, group, filter);
}

/** Full events for state entries (entries whose event is missing are skipped). */
export async function loadEvents(db: Queryable, entries: readonly StateEntry[]): Promise<StoredEvent[]> {
  if (entries.length === 0) return [];
  const { rows } = await db.query<EventRow>(`SELECT ${EVENT_COLUMNS} FROM events e WHERE e.event_id = ANY($1::text[])`, [entries.map((e) => e.eventId)]);
  return rows.map(toStoredEvent);
}
