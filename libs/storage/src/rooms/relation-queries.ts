// Relation rows for server-side aggregation (unsigned.m.relations): which events relate to a
// page of events, by rel_type, in stream order. Also the previous state event each state
// event replaced (unsigned.prev_content / replaces_state).
import type { Queryable } from '../database.ts';
import { prepared } from '../prepared.ts';

export interface RelationRow {
  readonly relatesTo: string;
  readonly relType: string;
  readonly eventId: string;
  readonly sender: string;
  readonly streamOrdering: number;
}

/** Accepted, unredacted events relating to any of `eventIds` with one of `relTypes`, oldest first. */
export async function getRelationsFor(db: Queryable, eventIds: readonly string[], relTypes: readonly string[]): Promise<RelationRow[]> {
  if (eventIds.length === 0) return [];
  const { rows } = await db.query<{ relates_to_id: string; rel_type: string; event_id: string; sender: string; stream_ordering: number }>(
    prepared(`SELECT r.relates_to_id, r.rel_type, r.event_id, e.sender, e.stream_ordering
       FROM event_relations r JOIN events e ON e.event_id = r.event_id
      WHERE r.relates_to_id = ANY($1::text[]) AND r.rel_type = ANY($2::text[]) AND e.rejected IS NULL AND e.redacted_by IS NULL
      ORDER BY e.stream_ordering ASC`),
    [[...eventIds], [...relTypes]],
  );
  return rows.map((row) => ({ relatesTo: row.relates_to_id, relType: row.rel_type, eventId: row.event_id, sender: row.sender, streamOrdering: Number(row.stream_ordering) }));
}

/** For each state event: the event it replaced in the room state (absent when it replaced nothing). */
export async function getReplacedStateIds(db: Queryable, events: ReadonlyArray<{ eventId: string; type: string; stateKey: string | undefined; stateGroupBefore: number | undefined }>): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const event of events) {
    if (event.stateKey === undefined || event.stateGroupBefore === undefined) continue;
    const { rows } = await db.query<{ event_id: string }>(
      `WITH RECURSIVE chain(id, prev_group, n) AS (
         SELECT id, prev_group, 0 FROM state_groups WHERE id = $1
         UNION ALL
         SELECT g.id, g.prev_group, c.n + 1 FROM state_groups g JOIN chain c ON g.id = c.prev_group
       )
       SELECT s.event_id FROM chain c JOIN state_group_entries s ON s.state_group = c.id
        WHERE s.type = $2 AND s.state_key = $3 ORDER BY c.n ASC LIMIT 1`,
      [event.stateGroupBefore, event.type, event.stateKey],
    );
    if (rows[0]) out.set(event.eventId, rows[0].event_id);
  }
  return out;
}
