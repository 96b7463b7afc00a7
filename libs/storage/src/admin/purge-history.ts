// A room's history before a point (Synapse's purge_history): the timeline events older than the
// point go, the room keeps working. Older than the point means a lower depth (topological order,
// as Synapse). Never deleted: state events (the current state and the state groups refer to
// them, and they are the auth events of what follows), the forward extremities (the next event's
// prev_events, left as they are), and local events unless `deleteLocalEvents`. The other older
// events that are kept become outliers, so timelines and /messages stop at the point; they keep
// their state groups (kept whole), which is how history visibility still finds its old changes.
import type { Queryable } from '../database.ts';
import { refreshRoomPushSummaries } from '../sync/push-summary-store.ts';

export interface PurgeHistoryOptions {
  /** Events with a depth below this one are purged. */
  readonly beforeDepth: number;
  /** Delete this server's own non-state events too. Default: false (they become outliers). */
  readonly deleteLocalEvents?: boolean;
  /** The server name, to tell local events (by sender) from remote ones. */
  readonly serverName: string;
}

export interface PurgeHistoryResult {
  /** Events deleted. */
  readonly deleted: number;
  /** Older events kept (state, local), now outliers. */
  readonly keptAsOutliers: number;
}

// Rows that exist only for an event and mean nothing once it is gone. Receipts, reports and
// membership rows stay (they are about users, or about state events, which are kept).
const PER_EVENT_TABLES = ['event_edges', 'event_auth', 'event_relations', 'event_search', 'event_txn_ids', 'event_push_actions', 'push_outbox', 'redactions'];

/** Purges `roomId`'s history below `beforeDepth`; run it in one transaction. */
export async function purgeRoomHistory(tx: Queryable, roomId: string, options: PurgeHistoryOptions): Promise<PurgeHistoryResult> {
  const localSuffix = `%:${options.serverName.replace(/[\\%_]/g, (c) => `\\${c}`)}`;
  const { rows } = await tx.query<{ event_id: string; should_delete: boolean }>(
    `SELECT e.event_id, (e.state_key IS NULL AND ($3 OR e.sender NOT LIKE $4)) AS should_delete
       FROM events e
      WHERE e.room_id = $1 AND e.depth < $2 AND NOT e.outlier
        AND NOT EXISTS (SELECT 1 FROM event_forward_extremities x WHERE x.room_id = e.room_id AND x.event_id = e.event_id)`,
    [roomId, options.beforeDepth, options.deleteLocalEvents === true, localSuffix],
  );
  const doomed = rows.filter((r) => r.should_delete).map((r) => r.event_id);
  const kept = rows.filter((r) => !r.should_delete).map((r) => r.event_id);
  for (const table of PER_EVENT_TABLES) {
    await tx.query(`DELETE FROM ${table} WHERE event_id = ANY($1::text[])`, [doomed]);
  }
  await tx.query('DELETE FROM events WHERE event_id = ANY($1::text[])', [doomed]);
  await tx.query('UPDATE events SET outlier = true WHERE event_id = ANY($1::text[])', [kept]);
  // The purged events' push actions are gone: the room's unread summaries count without them.
  if (doomed.length > 0) await refreshRoomPushSummaries(tx, roomId);
  return { deleted: doomed.length, keptAsOutliers: kept.length };
}
