// The write path of the room persister actor: everything one batch of events changes, meant to
// run inside ONE transaction (group commit). Callers allocate stream positions and decide state
// groups; these functions only store.
import type { Queryable } from '../database.ts';

export interface EventToPersist {
  readonly eventId: string;
  readonly roomId: string;
  readonly type: string;
  readonly stateKey: string | undefined;
  readonly sender: string;
  readonly depth: number;
  readonly originServerTs: number;
  readonly streamOrdering: number;
  readonly instanceName: string;
  /** The PDU text as hashed and signed. */
  readonly json: string;
  readonly prevEventIds: readonly string[];
  readonly authEventIds: readonly string[];
  readonly redacts?: string;
  /** Set for rejected events (kept for the DAG, never in state or timelines). */
  readonly rejected?: string;
  readonly stateGroupBefore: number | undefined;
  readonly stateGroupAfter: number | undefined;
  /** For m.room.member events. */
  readonly membership?: { readonly userId: string; readonly membership: string; readonly displayName?: string; readonly avatarUrl?: string };
  /** From content['m.relates_to']. */
  readonly relation?: { readonly relatesTo: string; readonly relType: string; readonly aggregationKey?: string };
  /** The client transaction that sent it. */
  readonly txn?: { readonly userId: string; readonly deviceId: string; readonly txnId: string };
}

/** Inserts events with their edges, auth, memberships, relations, redactions and txn ids. */
export async function insertEvents(tx: Queryable, events: readonly EventToPersist[]): Promise<void> {
  for (const event of events) {
    await tx.query(
      `INSERT INTO events (event_id, room_id, type, state_key, sender, depth, origin_server_ts, stream_ordering, instance_name, json,
                           redacts, rejected, state_group_before, state_group_after)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
      [
        event.eventId, event.roomId, event.type, event.stateKey ?? null, event.sender, event.depth, event.originServerTs,
        event.streamOrdering, event.instanceName, event.json, event.redacts ?? null, event.rejected ?? null,
        event.stateGroupBefore ?? null, event.stateGroupAfter ?? null,
      ],
    );
    if (event.prevEventIds.length > 0) {
      await tx.query('INSERT INTO event_edges (event_id, prev_event_id, room_id) SELECT $1, unnest($2::text[]), $3 ON CONFLICT DO NOTHING', [
        event.eventId, [...event.prevEventIds], event.roomId,
      ]);
    }
    if (event.authEventIds.length > 0) {
      await tx.query('INSERT INTO event_auth (event_id, auth_id, room_id) SELECT $1, unnest($2::text[]), $3 ON CONFLICT DO NOTHING', [
        event.eventId, [...event.authEventIds], event.roomId,
      ]);
    }
    if (event.rejected !== undefined) continue;
    if (event.membership) {
      await tx.query(
        `INSERT INTO room_memberships (event_id, room_id, user_id, sender, membership, stream_ordering, display_name, avatar_url)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [event.eventId, event.roomId, event.membership.userId, event.sender, event.membership.membership, event.streamOrdering,
          event.membership.displayName ?? null, event.membership.avatarUrl ?? null],
      );
    }
    if (event.relation) {
      await tx.query(
        'INSERT INTO event_relations (event_id, room_id, relates_to_id, rel_type, aggregation_key) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING',
        [event.eventId, event.roomId, event.relation.relatesTo, event.relation.relType, event.relation.aggregationKey ?? null],
      );
    }
    if (event.redacts !== undefined) {
      await tx.query('INSERT INTO redactions (event_id, redacts, room_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [event.eventId, event.redacts, event.roomId]);
      // A redaction only applies to an event of the same room.
      await tx.query('UPDATE events SET redacted_by = $1 WHERE event_id = $2 AND room_id = $3 AND redacted_by IS NULL', [event.eventId, event.redacts, event.roomId]);
    }
    if (event.txn) {
      await tx.query(
        `INSERT INTO event_txn_ids (room_id, user_id, device_id, txn_id, event_id, inserted_ts) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
        [event.roomId, event.txn.userId, event.txn.deviceId, event.txn.txnId, event.eventId, event.originServerTs],
      );
    }
  }
}

export interface CurrentStateUpdate {
  readonly type: string;
  readonly stateKey: string;
  readonly eventId: string;
  readonly membership: string | undefined;
  readonly streamOrdering: number;
}

/** Upserts current state entries of a room. */
export async function updateCurrentState(tx: Queryable, roomId: string, updates: readonly CurrentStateUpdate[]): Promise<void> {
  for (const update of updates) {
    await tx.query(
      `INSERT INTO current_state_events (room_id, type, state_key, event_id, membership, stream_ordering) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (room_id, type, state_key) DO UPDATE SET event_id = EXCLUDED.event_id, membership = EXCLUDED.membership, stream_ordering = EXCLUDED.stream_ordering`,
      [roomId, update.type, update.stateKey, update.eventId, update.membership ?? null, update.streamOrdering],
    );
  }
}

/** Replaces the room's forward extremities. */
export async function setForwardExtremities(tx: Queryable, roomId: string, eventIds: readonly string[]): Promise<void> {
  await tx.query('DELETE FROM event_forward_extremities WHERE room_id = $1', [roomId]);
  if (eventIds.length > 0) {
    await tx.query('INSERT INTO event_forward_extremities (room_id, event_id) SELECT $1, unnest($2::text[])', [roomId, [...eventIds]]);
  }
}

export interface NewStateGroup {
  readonly roomId: string;
  /** The event whose "state after" this is. */
  readonly eventId: string;
  /** Group to delta on; undefined writes a full snapshot. */
  readonly prevGroup: number | undefined;
  /** prevGroup's delta depth (0 for a snapshot); ignored for snapshots. */
  readonly prevDepth: number;
  /** The entries changed vs prevGroup, or the full state for a snapshot. */
  readonly entries: ReadonlyArray<{ readonly type: string; readonly stateKey: string; readonly eventId: string }>;
}

/** Stores a state group; returns its id and delta depth (0 for a snapshot). */
export async function insertStateGroup(tx: Queryable, group: NewStateGroup): Promise<{ id: number; depth: number }> {
  const { rows } = await tx.query<{ id: number }>("SELECT nextval('state_group_seq') AS id");
  const id = Number(rows[0]!.id);
  const depth = group.prevGroup === undefined ? 0 : group.prevDepth + 1;
  await tx.query('INSERT INTO state_groups (id, room_id, prev_group, delta_depth, event_id) VALUES ($1, $2, $3, $4, $5)', [
    id, group.roomId, group.prevGroup ?? null, depth, group.eventId,
  ]);
  if (group.entries.length > 0) {
    await tx.query(
      'INSERT INTO state_group_entries (state_group, type, state_key, event_id) SELECT $1, t, k, e FROM unnest($2::text[], $3::text[], $4::text[]) AS x(t, k, e)',
      [id, group.entries.map((e) => e.type), group.entries.map((e) => e.stateKey), group.entries.map((e) => e.eventId)],
    );
  }
  return { id, depth };
}

/** Takes `count` positions from the `events` sequence (for tests and writers without libs/streams). */
export async function allocateEventPositions(tx: Queryable, count: number): Promise<number[]> {
  const { rows } = await tx.query<{ p: number }>("SELECT nextval('stream_seq_events') AS p FROM generate_series(1, $1)", [count]);
  return rows.map((row) => Number(row.p)).sort((a, b) => a - b);
}

export interface PersisterSnapshot {
  readonly roomVersion: string;
  readonly forwardExtremities: Array<{ eventId: string; depth: number }>;
  readonly currentState: Array<{ type: string; stateKey: string; eventId: string }>;
  /** The state group after the newest accepted event, with its delta depth. */
  readonly stateGroup: { id: number; depth: number } | undefined;
  readonly maxDepth: number;
}

/** What a (re)started persister actor needs to resume a room; undefined for unknown rooms. */
export async function loadPersisterSnapshot(db: Queryable, roomId: string): Promise<PersisterSnapshot | undefined> {
  const room = await db.query<{ room_version: string }>('SELECT room_version FROM rooms WHERE room_id = $1', [roomId]);
  const version = room.rows[0]?.room_version;
  if (version === undefined) return undefined;
  const extremities = await db.query<{ event_id: string; depth: number }>(
    'SELECT f.event_id, e.depth FROM event_forward_extremities f JOIN events e ON e.event_id = f.event_id WHERE f.room_id = $1',
    [roomId],
  );
  const state = await db.query<{ type: string; state_key: string; event_id: string }>('SELECT type, state_key, event_id FROM current_state_events WHERE room_id = $1', [roomId]);
  const group = await db.query<{ id: number; delta_depth: number }>(
    `SELECT g.id, g.delta_depth FROM events e JOIN state_groups g ON g.id = e.state_group_after
      WHERE e.room_id = $1 AND e.rejected IS NULL ORDER BY e.stream_ordering DESC LIMIT 1`,
    [roomId],
  );
  const depth = await db.query<{ max: number | null }>('SELECT max(depth) AS max FROM events WHERE room_id = $1', [roomId]);
  const g = group.rows[0];
  return {
    roomVersion: version,
    forwardExtremities: extremities.rows.map((row) => ({ eventId: row.event_id, depth: Number(row.depth) })),
    currentState: state.rows.map((row) => ({ type: row.type, stateKey: row.state_key, eventId: row.event_id })),
    stateGroup: g ? { id: Number(g.id), depth: Number(g.delta_depth) } : undefined,
    maxDepth: Number(depth.rows[0]?.max ?? 0),
  };
}
