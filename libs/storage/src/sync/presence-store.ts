// Presence: one row per user, its position moved by every change.
import type { Queryable } from '../database.ts';
import { prepared } from '../prepared.ts';
import type { PositionWindow, StreamRange, StreamRow } from './stream-range.ts';

export interface PresenceRow {
  readonly userId: string;
  /** online, offline or unavailable. */
  readonly state: string;
  readonly statusMsg: string | undefined;
  readonly lastActiveTs: number;
  readonly currentlyActive: boolean;
}

export interface PresenceRecord extends PresenceRow {
  readonly position: number;
  readonly instanceName: string;
}

interface DbPresence {
  user_id: string;
  state: string;
  status_msg: string | null;
  last_active_ts: number;
  currently_active: boolean;
  position: number;
  instance_name: string;
}

function toRecord(r: DbPresence): PresenceRecord {
  return {
    userId: r.user_id,
    state: r.state,
    statusMsg: r.status_msg ?? undefined,
    lastActiveTs: r.last_active_ts,
    currentlyActive: r.currently_active,
    position: r.position,
    instanceName: r.instance_name,
  };
}

export async function upsertPresence(tx: Queryable, position: number, row: PresenceRow & { instanceName: string }): Promise<void> {
  await tx.query(
    `INSERT INTO presence (user_id, state, status_msg, last_active_ts, currently_active, position, instance_name)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (user_id) DO UPDATE SET state = EXCLUDED.state, status_msg = EXCLUDED.status_msg,
       last_active_ts = EXCLUDED.last_active_ts, currently_active = EXCLUDED.currently_active,
       position = EXCLUDED.position, instance_name = EXCLUDED.instance_name`,
    [row.userId, row.state, row.statusMsg ?? null, row.lastActiveTs, row.currentlyActive, position, row.instanceName],
  );
}

export async function getPresence(db: Queryable, userId: string): Promise<PresenceRecord | undefined> {
  const { rows } = await db.query<DbPresence>('SELECT * FROM presence WHERE user_id = $1', [userId]);
  return rows[0] ? toRecord(rows[0]) : undefined;
}

export async function fetchPresenceSince(db: Queryable, range: StreamRange): Promise<Array<StreamRow<PresenceRow>>> {
  const { rows } = await db.query<DbPresence>(
    'SELECT * FROM presence WHERE instance_name = $1 AND position > $2 AND position <= $3 ORDER BY position LIMIT $4',
    [range.writer, range.from, range.to, range.limit],
  );
  return rows.map((r) => {
    const { position, instanceName: _w, ...data } = toRecord(r);
    return { position, data };
  });
}

/** Presence of these users whose latest change lies in the window. */
export async function presenceForUsers(db: Queryable, userIds: readonly string[], window: PositionWindow): Promise<PresenceRecord[]> {
  if (userIds.length === 0) return [];
  const { rows } = await db.query<DbPresence>(
    prepared('SELECT * FROM presence WHERE user_id = ANY($1::text[]) AND position > $2 AND position <= $3 ORDER BY position'),
    [[...userIds], window.floor, window.ceiling],
  );
  return rows.map(toRecord);
}
