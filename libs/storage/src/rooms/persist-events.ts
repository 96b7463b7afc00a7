// The write path of the room persister actor: everything one batch of events changes, meant to
// run inside ONE transaction (group commit). Callers allocate stream positions and decide state
// groups; these functions only store.
import type { Queryable } from '../database.ts';
import { prepared } from '../prepared.ts';
import { runCombinedWrites, type WritePart } from '../combined-writes.ts';
import { EVERY_EVENT_STREAM_VIEW } from './event-queries.ts';
import { getRoomHead } from './room-input-store.ts';

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
  /** Known only from an auth chain or a state fetch: not in the timeline or the current state. */
  readonly outlier?: boolean;
  /** Replaces the stored outlier of the same ID (it enters the timeline). Default: false. */
  readonly replacesOutlier?: boolean;
  /** Passed its auth events and state before but not the current state: kept, never served. */
  readonly softFailed?: boolean;
  readonly stateGroupBefore: number | undefined;
  readonly stateGroupAfter: number | undefined;
  /**
   * An outlier whose membership still counts for its user: an invite from another server to a
   * room not held here (out of band, as Synapse's). Default: false.
   */
  readonly outOfBandMembership?: boolean;
  /** For m.room.member events. */
  readonly membership?: { readonly userId: string; readonly membership: string; readonly displayName?: string; readonly avatarUrl?: string };
  /** From content['m.relates_to']. */
  readonly relation?: { readonly relatesTo: string; readonly relType: string; readonly aggregationKey?: string };
  /** The events stream's views it belongs to (stream_views bits, eventStreamViewBits). Default: every view. */
  readonly streamViews?: number;
  /** The client transaction that sent it. */
  readonly txn?: { readonly userId: string; readonly deviceId: string; readonly txnId: string };
}

/**
 * Inserts events with their edges, auth, memberships, relations, redactions and txn ids. One
 * statement for the whole batch (a CTE per table, unnest of column arrays), with `alongside`
 * (other inserts of the same commit that read none of these rows): a group commit of N events
 * costs one round trip here, not several per event or per table.
 */
export async function insertEvents(tx: Queryable, events: readonly EventToPersist[], alongside: readonly WritePart[] = []): Promise<void> {
  if (events.length === 0) {
    await runCombinedWrites(tx, alongside);
    return;
  }
  const col = <T>(pick: (e: EventToPersist) => T) => events.map(pick);
  // An outlier entering the timeline is stored again whole (position, state groups), keeping
  // a redaction that already applied to it.
  const replaced = events.filter((e) => e.replacesOutlier === true).map((e) => e.eventId);
  const { rows: redactedBefore } =
    replaced.length > 0
      ? await tx.query<{ event_id: string; redacted_by: string }>('DELETE FROM events WHERE event_id = ANY($1::text[]) AND outlier RETURNING event_id, redacted_by', [replaced])
      : { rows: [] };
  const parts: WritePart[] = [];
  parts.push({
    sql: prepared(`INSERT INTO events (event_id, room_id, type, state_key, sender, depth, origin_server_ts, stream_ordering, instance_name, json,
                         redacts, rejected, state_group_before, state_group_after, outlier, soft_failed, stream_views)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int8[], $7::int8[], $8::int8[], $9::text[], $10::text[],
                          $11::text[], $12::text[], $13::int8[], $14::int8[], $15::bool[], $16::bool[], $17::int2[])`),
    params: [
      col((e) => e.eventId), col((e) => e.roomId), col((e) => e.type), col((e) => e.stateKey ?? null), col((e) => e.sender),
      col((e) => e.depth), col((e) => e.originServerTs), col((e) => e.streamOrdering), col((e) => e.instanceName), col((e) => e.json),
      col((e) => e.redacts ?? null), col((e) => e.rejected ?? null), col((e) => e.stateGroupBefore ?? null), col((e) => e.stateGroupAfter ?? null),
      col((e) => e.outlier === true), col((e) => e.softFailed === true), col((e) => e.streamViews ?? EVERY_EVENT_STREAM_VIEW),
    ],
  });
  const edges = events.flatMap((e) => e.prevEventIds.map((prev) => [e.eventId, prev, e.roomId] as const));
  if (edges.length > 0) {
    parts.push({
      sql: prepared('INSERT INTO event_edges (event_id, prev_event_id, room_id) SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) ON CONFLICT DO NOTHING'),
      params: [edges.map((x) => x[0]), edges.map((x) => x[1]), edges.map((x) => x[2])],
    });
  }
  const auth = events.flatMap((e) => e.authEventIds.map((id) => [e.eventId, id, e.roomId] as const));
  if (auth.length > 0) {
    parts.push({
      sql: prepared('INSERT INTO event_auth (event_id, auth_id, room_id) SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) ON CONFLICT DO NOTHING'),
      params: [auth.map((x) => x[0]), auth.map((x) => x[1]), auth.map((x) => x[2])],
    });
  }
  // Memberships, relations, redactions and txn ids only of events that take effect in the room.
  const accepted = events.filter((e) => e.rejected === undefined && e.outlier !== true && e.softFailed !== true);
  const members = events.filter((e) => e.membership !== undefined && (accepted.includes(e) || (e.outOfBandMembership === true && e.rejected === undefined)));
  // A member event taken out of the outliers keeps the row it already has (a joined room's
  // state or an out-of-band invite recorded it at the position it took effect).
  if (members.length > 0) {
    parts.push({
      sql: prepared(`INSERT INTO room_memberships (event_id, room_id, user_id, sender, membership, stream_ordering, display_name, avatar_url)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int8[], $7::text[], $8::text[])
       ON CONFLICT (event_id) DO NOTHING`),
      params: [
        members.map((e) => e.eventId), members.map((e) => e.roomId), members.map((e) => e.membership!.userId), members.map((e) => e.sender),
        members.map((e) => e.membership!.membership), members.map((e) => e.streamOrdering), members.map((e) => e.membership!.displayName ?? null),
        members.map((e) => e.membership!.avatarUrl ?? null),
      ],
    });
  }
  const related = accepted.filter((e) => e.relation !== undefined);
  if (related.length > 0) {
    parts.push({
      sql: prepared(`INSERT INTO event_relations (event_id, room_id, relates_to_id, rel_type, aggregation_key)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) ON CONFLICT DO NOTHING`),
      params: [related.map((e) => e.eventId), related.map((e) => e.roomId), related.map((e) => e.relation!.relatesTo), related.map((e) => e.relation!.relType), related.map((e) => e.relation!.aggregationKey ?? null)],
    });
  }
  const redactions = accepted.filter((e) => e.redacts !== undefined);
  if (redactions.length > 0) {
    parts.push({
      sql: prepared('INSERT INTO redactions (event_id, redacts, room_id) SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) ON CONFLICT DO NOTHING'),
      params: [redactions.map((e) => e.eventId), redactions.map((e) => e.redacts!), redactions.map((e) => e.roomId)],
    });
  }
  const txns = accepted.filter((e) => e.txn !== undefined);
  if (txns.length > 0) {
    parts.push({
      sql: prepared(`INSERT INTO event_txn_ids (room_id, user_id, device_id, txn_id, event_id, inserted_ts)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int8[]) ON CONFLICT DO NOTHING`),
      params: [txns.map((e) => e.roomId), txns.map((e) => e.txn!.userId), txns.map((e) => e.txn!.deviceId), txns.map((e) => e.txn!.txnId), txns.map((e) => e.eventId), txns.map((e) => e.originServerTs)],
    });
  }
  // `alongside` last, where its writes ran when they were statements of their own.
  await runCombinedWrites(tx, [...parts, ...alongside]);
  // Updates of events rows come after the statement that inserted them (a CTE would not see
  // its sibling's rows): a redaction kept from a replaced outlier, and redactions applied to
  // targets, which may be events of this very batch. The first redaction of an event wins.
  for (const row of redactedBefore.filter((r) => r.redacted_by !== null)) {
    await tx.query('UPDATE events SET redacted_by = $1 WHERE event_id = $2', [row.redacted_by, row.event_id]);
  }
  for (const redaction of redactions) {
    await tx.query('UPDATE events SET redacted_by = $1 WHERE event_id = $2 AND room_id = $3 AND redacted_by IS NULL', [redaction.eventId, redaction.redacts, redaction.roomId]);
  }
}

export interface StateMembershipRow {
  readonly eventId: string;
  readonly userId: string;
  readonly sender: string;
  readonly membership: string;
  readonly displayName?: string;
  readonly avatarUrl?: string;
}

/**
 * Membership rows for member events stored as outliers that are part of a room's current state
 * (the state a remote server gave us on a join): member lists and each user's rooms read
 * room_memberships. An event that already has its row keeps it.
 */
export async function insertStateMemberships(tx: Queryable, rows: ReadonlyArray<StateMembershipRow & { readonly roomId: string; readonly streamOrdering: number }>): Promise<void> {
  await runCombinedWrites(tx, stateMembershipWrites(rows));
}

/** insertStateMemberships as parts of a combined statement (none for no rows). */
export function stateMembershipWrites(rows: ReadonlyArray<StateMembershipRow & { readonly roomId: string; readonly streamOrdering: number }>): WritePart[] {
  if (rows.length === 0) return [];
  return [{
    sql: prepared(`INSERT INTO room_memberships (event_id, room_id, user_id, sender, membership, stream_ordering, display_name, avatar_url)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int8[], $7::text[], $8::text[]) ON CONFLICT (event_id) DO NOTHING`),
    params: [
      rows.map((r) => r.eventId), rows.map((r) => r.roomId), rows.map((r) => r.userId), rows.map((r) => r.sender), rows.map((r) => r.membership),
      rows.map((r) => r.streamOrdering), rows.map((r) => r.displayName ?? null), rows.map((r) => r.avatarUrl ?? null),
    ],
  }];
}

export interface CurrentStateUpdate {
  readonly type: string;
  readonly stateKey: string;
  readonly eventId: string;
  readonly membership: string | undefined;
  readonly streamOrdering: number;
}

/** Upserts current state entries of a room (a later update of the same key wins). */
export async function updateCurrentState(tx: Queryable, roomId: string, updates: readonly CurrentStateUpdate[]): Promise<void> {
  await runCombinedWrites(tx, currentStateWrites(new Map([[roomId, updates]])));
}

/** updateCurrentState of several rooms as parts of a combined statement (none for no updates). */
export function currentStateWrites(updates: ReadonlyMap<string, readonly CurrentStateUpdate[]>): WritePart[] {
  // ON CONFLICT may touch a row once per statement: keep the last update of each key.
  const latest = [...updates].flatMap(([roomId, ofRoom]) => [...new Map(ofRoom.map((u) => [`${u.type}\u0000${u.stateKey}`, { roomId, ...u }])).values()]);
  if (latest.length === 0) return [];
  return [{
    sql: prepared(`INSERT INTO current_state_events (room_id, type, state_key, event_id, membership, stream_ordering)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int8[])
     ON CONFLICT (room_id, type, state_key) DO UPDATE SET event_id = EXCLUDED.event_id, membership = EXCLUDED.membership, stream_ordering = EXCLUDED.stream_ordering`),
    params: [latest.map((u) => u.roomId), latest.map((u) => u.type), latest.map((u) => u.stateKey), latest.map((u) => u.eventId), latest.map((u) => u.membership ?? null), latest.map((u) => u.streamOrdering)],
  }];
}

/** Replaces the room's forward extremities. */
export async function setForwardExtremities(tx: Queryable, roomId: string, eventIds: readonly string[]): Promise<void> {
  await setForwardExtremitiesOfRooms(tx, new Map([[roomId, eventIds]]));
}

/** Replaces the forward extremities of several rooms (a group commit across rooms) in one statement. */
export async function setForwardExtremitiesOfRooms(tx: Queryable, extremities: ReadonlyMap<string, readonly string[]>): Promise<void> {
  await runCombinedWrites(tx, forwardExtremityWrites(extremities));
}

/**
 * setForwardExtremitiesOfRooms as parts of a combined statement: the rooms' extremities not in
 * the new sets go, the new ones are added (the kept ones conflict and stay); both parts see the
 * rows as they were, which is what makes them independent.
 */
export function forwardExtremityWrites(extremities: ReadonlyMap<string, readonly string[]>): WritePart[] {
  if (extremities.size === 0) return [];
  const pairs = [...extremities].flatMap(([roomId, eventIds]) => eventIds.map((eventId) => [roomId, eventId] as const));
  const rooms = pairs.map((p) => p[0]);
  const events = pairs.map((p) => p[1]);
  return [
    {
      sql: prepared(`DELETE FROM event_forward_extremities f WHERE f.room_id = ANY($1::text[])
              AND NOT EXISTS (SELECT 1 FROM unnest($2::text[], $3::text[]) AS x(room_id, event_id) WHERE x.room_id = f.room_id AND x.event_id = f.event_id)`),
      params: [[...extremities.keys()], rooms, events],
    },
    { sql: prepared('INSERT INTO event_forward_extremities (room_id, event_id) SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT DO NOTHING'), params: [rooms, events] },
  ];
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
  // The head recorded by the last fenced commit; rooms written before fencing existed fall back
  // to the state after their newest timeline event.
  const head = await getRoomHead(db, roomId);
  const group = head
    ? { rows: [{ id: head.id, delta_depth: head.depth }] }
    : await db.query<{ id: number; delta_depth: number }>(
        `SELECT g.id, g.delta_depth FROM events e JOIN state_groups g ON g.id = e.state_group_after
          WHERE e.room_id = $1 AND e.rejected IS NULL AND NOT e.outlier AND NOT e.soft_failed ORDER BY e.stream_ordering DESC LIMIT 1`,
        [roomId],
      );
  const depth = await db.query<{ max: number | null }>('SELECT max(depth) AS max FROM events WHERE room_id = $1 AND NOT outlier', [roomId]);
  const g = group.rows[0];
  return {
    roomVersion: version,
    forwardExtremities: extremities.rows.map((row) => ({ eventId: row.event_id, depth: Number(row.depth) })),
    currentState: state.rows.map((row) => ({ type: row.type, stateKey: row.state_key, eventId: row.event_id })),
    stateGroup: g ? { id: Number(g.id), depth: Number(g.delta_depth) } : undefined,
    maxDepth: Number(depth.rows[0]?.max ?? 0),
  };
}
