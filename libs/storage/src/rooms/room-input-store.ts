// Storage of the room input (the persister actor's ingest path and fenced ownership): orderings
// behind the timeline, auth chains, per-event flags, and the room_owners row that every commit
// checks. Migration 1300_room_input.sql.
import { runCombinedWrites, type WritePart } from '../combined-writes.ts';
import type { Queryable } from '../database.ts';
import { prepared } from '../prepared.ts';
import { pushActionWrites, type PushActionRow } from '../sync/push-action-store.ts';
import { RACED_SUMMARIES_SQL, refreshPushSummaries } from '../sync/push-summary-store.ts';

/** `count` orderings behind the timeline (negative, newest allocation lowest). */
export async function allocateBehindOrderings(tx: Queryable, count: number): Promise<number[]> {
  if (count === 0) return [];
  const { rows } = await tx.query<{ p: number }>(prepared("SELECT -nextval('events_behind_seq') AS p FROM generate_series(1, $1)"), [count]);
  return rows.map((row) => Number(row.p));
}

/** IDs of every event in the auth chains of `eventIds` (not including them), as stored. */
export async function getAuthChainIds(db: Queryable, eventIds: readonly string[]): Promise<string[]> {
  if (eventIds.length === 0) return [];
  const { rows } = await db.query<{ id: string }>(
    `WITH RECURSIVE chain(id) AS (
       SELECT auth_id FROM event_auth WHERE event_id = ANY($1::text[])
       UNION
       SELECT a.auth_id FROM event_auth a JOIN chain c ON a.event_id = c.id
     ) SELECT id FROM chain`,
    [[...eventIds]],
  );
  return rows.map((row) => row.id);
}

export interface EventFlags {
  readonly rejected: boolean;
  readonly outlier: boolean;
  readonly softFailed: boolean;
  readonly stateGroupAfter: number | undefined;
  /** The delta depth of stateGroupAfter (0 for a snapshot). */
  readonly stateGroupAfterDepth: number;
}

/** How each stored event entered the room (missing IDs are absent). */
export async function getEventFlags(db: Queryable, eventIds: readonly string[]): Promise<Map<string, EventFlags>> {
  if (eventIds.length === 0) return new Map();
  const { rows } = await db.query<{ event_id: string; rejected: string | null; outlier: boolean; soft_failed: boolean; state_group_after: number | null; delta_depth: number | null }>(
    `SELECT e.event_id, e.rejected, e.outlier, e.soft_failed, e.state_group_after, g.delta_depth
       FROM events e LEFT JOIN state_groups g ON g.id = e.state_group_after WHERE e.event_id = ANY($1::text[])`,
    [[...eventIds]],
  );
  return new Map(
    rows.map((row) => [
      row.event_id,
      {
        rejected: row.rejected !== null,
        outlier: row.outlier,
        softFailed: row.soft_failed,
        stateGroupAfter: row.state_group_after === null ? undefined : Number(row.state_group_after),
        stateGroupAfterDepth: Number(row.delta_depth ?? 0),
      },
    ]),
  );
}

export interface RoomOwner {
  readonly instanceName: string;
  readonly epoch: number;
  readonly released: boolean;
  readonly acquiredTs: number;
}

export async function getRoomOwner(db: Queryable, roomId: string): Promise<RoomOwner | undefined> {
  const { rows } = await db.query<{ instance_name: string; epoch: number; released_ts: number | null; acquired_ts: number }>(
    'SELECT instance_name, epoch, released_ts, acquired_ts FROM room_owners WHERE room_id = $1',
    [roomId],
  );
  const row = rows[0];
  return row ? { instanceName: row.instance_name, epoch: Number(row.epoch), released: row.released_ts !== null, acquiredTs: Number(row.acquired_ts) } : undefined;
}

export interface TakeRoomOwnershipOptions {
  /** Take it even from another instance that has not released it (fencing that instance out). */
  readonly force: boolean;
  readonly now: number;
}

/**
 * Takes the room for `instanceName` under a new epoch when the room is unowned, released, held
 * by this same instance (a restart or a re-created actor), or `force` is set. Returns the new
 * epoch, or the current owner when another live owner holds it and `force` is not set.
 */
export async function takeRoomOwnership(db: Queryable, roomId: string, instanceName: string, options: TakeRoomOwnershipOptions): Promise<{ epoch: number } | { heldBy: RoomOwner }> {
  const { rows } = await db.query<{ epoch: number }>(
    `INSERT INTO room_owners AS o (room_id, instance_name, epoch, released_ts, acquired_ts) VALUES ($1, $2, 1, NULL, $4)
     ON CONFLICT (room_id) DO UPDATE SET instance_name = $2, epoch = o.epoch + 1, released_ts = NULL, acquired_ts = $4
       WHERE o.released_ts IS NOT NULL OR o.instance_name = $2 OR $3
     RETURNING epoch`,
    [roomId, instanceName, options.force, options.now],
  );
  if (rows[0]) return { epoch: Number(rows[0].epoch) };
  const owner = await getRoomOwner(db, roomId);
  // Released between the two statements: the caller simply tries again.
  return owner ? { heldBy: owner } : { heldBy: { instanceName: '', epoch: 0, released: true, acquiredTs: 0 } };
}

/** Releases the room if `instanceName` still holds it at `epoch`; false when it had been taken over. */
export async function releaseRoomOwnership(db: Queryable, roomId: string, instanceName: string, epoch: number, now: number): Promise<boolean> {
  const result = await db.query('UPDATE room_owners SET released_ts = $4 WHERE room_id = $1 AND instance_name = $2 AND epoch = $3 AND released_ts IS NULL', [roomId, instanceName, epoch, now]);
  return result.rowCount > 0;
}

/**
 * The fence of a commit, run inside its transaction: records the room's new head state group
 * and succeeds only while `instanceName` holds the room at `epoch`. A takeover that commits
 * first makes this match no row (the caller rolls back); one that comes later waits for this
 * transaction's row lock and so sees everything it wrote.
 */
export async function fenceRoomCommit(tx: Queryable, roomId: string, owner: { instanceName: string; epoch: number }, head: { id: number; depth: number } | undefined): Promise<boolean> {
  return (await fenceRoomCommits(tx, [{ roomId, owner, head }])).length === 0;
}

const FENCE_SQL = prepared(`UPDATE room_owners o SET head_state_group = COALESCE(x.head, o.head_state_group), head_delta_depth = CASE WHEN x.head IS NULL THEN o.head_delta_depth ELSE x.depth END
       FROM unnest($1::text[], $2::text[], $3::int8[], $4::int8[], $5::int4[]) AS x(room_id, instance_name, epoch, head, depth)
      WHERE o.room_id = x.room_id AND o.instance_name = x.instance_name AND o.epoch = x.epoch AND o.released_ts IS NULL
      RETURNING o.room_id`);

/** With push actions in the statement: the rooms fenced (user_id NULL), then the summaries raced (RACED_SUMMARIES_SQL). */
const OWNED_AND_RACED_SQL = prepared(`SELECT room_id, NULL::text AS user_id FROM owned
     UNION ALL SELECT raced.room_id, raced.user_id FROM (${RACED_SUMMARIES_SQL}) raced`);

type FenceInput = { readonly roomId: string; readonly owner: { instanceName: string; epoch: number }; readonly head: { id: number; depth: number } | undefined };

/**
 * fenceRoomCommit for several rooms (a group commit across rooms) in one statement: the rooms
 * whose fence failed. `alongside` (writes of the same commit on other tables) and the commit's
 * `pushActions` (insertPushActions' writes) go in the same statement; the caller rolls back when
 * any fence fails, so they never outlive a failed fence.
 */
export async function fenceRoomCommits(tx: Queryable, fences: readonly FenceInput[], alongside: readonly WritePart[] = [], pushActions: readonly PushActionRow[] = []): Promise<string[]> {
  const parts = [...alongside, ...pushActionWrites(pushActions)];
  const pushing = pushActions.length > 0;
  if (fences.length === 0) {
    const raced = await runCombinedWrites<{ user_id: string; room_id: string }>(tx, parts, pushing ? { sql: RACED_SUMMARIES_SQL, params: [] } : undefined);
    await refreshPushSummaries(tx, raced.map((row) => ({ userId: row.user_id, roomId: row.room_id })));
    return [];
  }
  const fence: WritePart = {
    name: 'owned',
    sql: FENCE_SQL,
    params: [fences.map((f) => f.roomId), fences.map((f) => f.owner.instanceName), fences.map((f) => f.owner.epoch), fences.map((f) => f.head?.id ?? null), fences.map((f) => f.head?.depth ?? 0)],
  };
  const rows = pushing
    ? await runCombinedWrites<{ room_id: string; user_id: string | null }>(tx, [...parts, fence], { sql: OWNED_AND_RACED_SQL, params: [] })
    : await runCombinedWrites<{ room_id: string; user_id?: undefined }>(tx, parts, fence);
  const owned = new Set(rows.filter((row) => row.user_id == null).map((row) => row.room_id));
  const fenced = fences.map((f) => f.roomId).filter((roomId) => !owned.has(roomId));
  if (fenced.length === 0) {
    const raced = rows.filter((row) => row.user_id != null);
    await refreshPushSummaries(tx, raced.map((row) => ({ userId: row.user_id!, roomId: row.room_id })));
  }
  return fenced;
}

/** The state group of the room's current state recorded by the last fenced commit, if any. */
export async function getRoomHead(db: Queryable, roomId: string): Promise<{ id: number; depth: number } | undefined> {
  const { rows } = await db.query<{ head_state_group: number | null; head_delta_depth: number }>('SELECT head_state_group, head_delta_depth FROM room_owners WHERE room_id = $1', [roomId]);
  const row = rows[0];
  return row && row.head_state_group !== null ? { id: Number(row.head_state_group), depth: Number(row.head_delta_depth) } : undefined;
}
