// What an incremental /sync asks first, in one statement: the user's memberships at the
// window's end and their changes within it, the joined rooms that saw events in it (whether
// any is a membership event, and their unread counts, since those rooms are usually the
// answer), and the device's key counts every answer carries. Every long-poll woken by a new
// event asks this, so on PGlite (one connection) and on a busy pool alike one round trip
// instead of five is most of what a wake costs. The members of a room woken by the same
// advance ask it together: syncWindows answers all of them with one statement.
import type { Queryable } from '../database.ts';
import { prepared, preparedGeneric } from '../prepared.ts';
import { deviceKeyStatusSql, toDeviceKeyStatus, type DeviceKeyStatus } from './e2e-key-store.ts';
import { atSql, CHANGES_SQL, toAt, toChange, type AtRow, type ChangeRow, type MembershipAt, type MembershipChange } from './membership-queries.ts';
import { unreadCountsSql, type UnreadCounts } from './push-action-store.ts';

export interface SyncWindowOptions {
  readonly userId: string;
  readonly deviceId: string;
  /** The window's end (memberships and unread counts at it). Required. */
  readonly upTo: number;
  /** The events window's SQL bounds (floor, ceiling]. Required. */
  readonly window: { readonly floor: number; readonly ceiling: number };
}

export interface SyncWindow {
  /** membershipsAt(upTo). */
  readonly atEnd: MembershipAt[];
  /** membershipChanges(window). */
  readonly changes: MembershipChange[];
  /**
   * The rooms the user is joined to at `upTo` (forgotten or not) with events in the window:
   * whether one of those is an m.room.member event, and the user's unread counts at `upTo`.
   */
  readonly activity: Map<string, { memberEvents: boolean; unread: UnreadCounts }>;
  /** deviceKeyStatus of the device. */
  readonly keys: DeviceKeyStatus;
}

type Row = Partial<AtRow & ChangeRow> & {
  kind: 'end' | 'change' | 'activity' | 'keys';
  room_id: string | null;
  member_events: boolean | null;
  notify: number | null;
  highlight: number | null;
  fallback: boolean | null;
  algorithm: string | null;
  n: number | null;
};

// $1 user, $2..$3 window, $4 upTo, $5 device. Prepared: every woken long-poll runs it.
const SYNC_WINDOW_SQL = prepared(
  `WITH at_end AS (${atSql('$4')}),
     active AS (
       SELECT room_id, bool_or(type = 'm.room.member') AS member_events FROM events
        WHERE room_id IN (SELECT room_id FROM at_end WHERE membership = 'join') AND stream_ordering > $2 AND stream_ordering <= $3
        GROUP BY room_id
     ),
     unread AS (${unreadCountsSql('$1', 'active', '$4')})
     SELECT 'end' AS kind, room_id, event_id, membership, stream_ordering, forgotten, NULL::text AS instance_name,
            NULL::boolean AS member_events, NULL::int AS notify, NULL::int AS highlight, NULL::boolean AS fallback, NULL::text AS algorithm, NULL::int AS n
       FROM at_end
     UNION ALL
     SELECT 'change', room_id, event_id, membership, stream_ordering, NULL, instance_name, NULL, NULL, NULL, NULL, NULL, NULL FROM (${CHANGES_SQL}) changes
     UNION ALL
     SELECT 'activity', a.room_id, NULL, NULL, NULL, NULL, NULL, a.member_events, u.notify, u.highlight, NULL, NULL, NULL
       FROM active a JOIN unread u ON u.room_id = a.room_id
     UNION ALL
     SELECT 'keys', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, fallback, algorithm, n FROM (${deviceKeyStatusSql('$1', '$5')}) keys`,
);

// The same statement once per element of the parameter arrays (one per asker), each asker's
// rows tagged with its ordinal: its parameters become the columns of the unnested row.
// Planned once, generically (preparedGeneric): each asker's part is planned for column values
// whatever the plan mode, so only the number of askers differs from a custom plan.
const ASKER_COLUMNS: Record<string, string> = { $1: 'q.user_id', $2: 'q.floor', $3: 'q.ceiling', $4: 'q.up_to', $5: 'q.device_id' };
const SYNC_WINDOWS_SQL = preparedGeneric(
  `SELECT q.i AS asker, w.* FROM unnest($1::text[], $2::int8[], $3::int8[], $4::int8[], $5::text[]) WITH ORDINALITY AS q(user_id, floor, ceiling, up_to, device_id, i)
     CROSS JOIN LATERAL (${SYNC_WINDOW_SQL.replace(/\$[1-5]\b/g, (param) => ASKER_COLUMNS[param]!)}) w`,
);

export async function syncWindow(db: Queryable, options: SyncWindowOptions): Promise<SyncWindow> {
  const { rows } = await db.query<Row>(
    SYNC_WINDOW_SQL,
    [options.userId, options.window.floor, options.window.ceiling, options.upTo, options.deviceId],
  );
  return toSyncWindow(rows);
}

/**
 * syncWindow of each asker, in their order, with one statement: the long-polls of a room's
 * members woken by one event ask at the same moment (one alone asks it too: its plan is kept).
 */
export async function syncWindows(db: Queryable, askers: readonly SyncWindowOptions[]): Promise<SyncWindow[]> {
  if (askers.length === 0) return [];
  const { rows } = await db.query<Row & { asker: number | string }>(SYNC_WINDOWS_SQL, [
    askers.map((a) => a.userId),
    askers.map((a) => a.window.floor),
    askers.map((a) => a.window.ceiling),
    askers.map((a) => a.upTo),
    askers.map((a) => a.deviceId),
  ]);
  const byAsker = askers.map((): Row[] => []);
  for (const row of rows) byAsker[Number(row.asker) - 1]!.push(row);
  return byAsker.map(toSyncWindow);
}

function toSyncWindow(rows: readonly Row[]): SyncWindow {
  const result: SyncWindow = { atEnd: [], changes: [], activity: new Map(), keys: toDeviceKeyStatus([]) };
  const keys: Array<{ fallback: boolean; algorithm: string; n: number }> = [];
  for (const row of rows) {
    if (row.kind === 'end') result.atEnd.push(toAt(row as AtRow));
    else if (row.kind === 'change') result.changes.push(toChange(row as ChangeRow));
    else if (row.kind === 'activity') {
      result.activity.set(row.room_id!, { memberEvents: row.member_events === true, unread: { notificationCount: row.notify ?? 0, highlightCount: row.highlight ?? 0 } });
    } else keys.push({ fallback: row.fallback === true, algorithm: row.algorithm!, n: row.n ?? 0 });
  }
  return { ...result, keys: toDeviceKeyStatus(keys) };
}
