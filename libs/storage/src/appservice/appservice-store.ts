// The appservice notifier's outbox and transaction counter, and appservice room listings
// (migration 1900_appservices.sql).
import type { Database, Queryable } from '../database.ts';

/** One thing an appservice is owed: an event of the events stream, or an ephemeral event. */
export type AppserviceOutboxItem = { readonly eventId: string; readonly edu?: undefined } | { readonly eventId?: undefined; readonly edu: Record<string, unknown> };

/** A transaction to send: its ID and its items in order. */
export interface AppserviceTransaction {
  readonly txnId: number;
  readonly items: readonly AppserviceOutboxItem[];
}

/** Appends to the appservice's outbox, in order; an event already owed is not added twice. */
export async function enqueueForAppservice(tx: Queryable, appserviceId: string, items: readonly AppserviceOutboxItem[], now: number): Promise<void> {
  for (const item of items) {
    await tx.query(
      `INSERT INTO appservice_outbox (appservice_id, event_id, edu, created_ts) VALUES ($1, $2, $3, $4)
         ON CONFLICT (appservice_id, event_id) WHERE event_id IS NOT NULL DO NOTHING`,
      [appserviceId, item.eventId ?? null, item.edu === undefined ? null : JSON.stringify(item.edu), now],
    );
  }
}

interface OutboxDbRow {
  event_id: string | null;
  edu: Record<string, unknown> | string | null;
  txn_id: string | number | null;
}

const toItem = (row: OutboxDbRow): AppserviceOutboxItem =>
  row.event_id !== null ? { eventId: row.event_id } : { edu: typeof row.edu === 'string' ? (JSON.parse(row.edu) as Record<string, unknown>) : row.edu! };

/**
 * The appservice's next transaction: the one already numbered and not yet acknowledged (sent
 * again as it was), or else up to `limit` of the oldest owed items under a new transaction ID.
 * Undefined when nothing is owed.
 */
export async function nextAppserviceTransaction(db: Database, appserviceId: string, limit: number): Promise<AppserviceTransaction | undefined> {
  const run = async (tx: Queryable): Promise<AppserviceTransaction | undefined> => {
    const numbered = await tx.query<OutboxDbRow>(
      `SELECT event_id, edu, txn_id FROM appservice_outbox
        WHERE appservice_id = $1 AND txn_id = (SELECT min(txn_id) FROM appservice_outbox WHERE appservice_id = $1 AND txn_id IS NOT NULL)
        ORDER BY id`,
      [appserviceId],
    );
    if (numbered.rows.length > 0) return { txnId: Number(numbered.rows[0]!.txn_id), items: numbered.rows.map(toItem) };
    const owed = await tx.query<OutboxDbRow & { id: string | number }>(
      'SELECT id, event_id, edu, txn_id FROM appservice_outbox WHERE appservice_id = $1 AND txn_id IS NULL ORDER BY id LIMIT $2 FOR UPDATE',
      [appserviceId, limit],
    );
    if (owed.rows.length === 0) return undefined;
    const { rows } = await tx.query<{ last_txn_id: string | number }>(
      `INSERT INTO appservice_txns (appservice_id, last_txn_id) VALUES ($1, 1)
         ON CONFLICT (appservice_id) DO UPDATE SET last_txn_id = appservice_txns.last_txn_id + 1 RETURNING last_txn_id`,
      [appserviceId],
    );
    const txnId = Number(rows[0]!.last_txn_id);
    await tx.query('UPDATE appservice_outbox SET txn_id = $2 WHERE id = ANY($1::int8[])', [owed.rows.map((row) => Number(row.id)), txnId]);
    return { txnId, items: owed.rows.map(toItem) };
  };
  return db.transaction(run);
}

/** The appservice acknowledged the transaction: what it carried is no longer owed. */
export async function completeAppserviceTransaction(db: Queryable, appserviceId: string, txnId: number): Promise<void> {
  await db.query('DELETE FROM appservice_outbox WHERE appservice_id = $1 AND txn_id = $2', [appserviceId, txnId]);
}

/** The appservices that are owed something (a notifier that takes over starts with these). */
export async function appservicesOwed(db: Queryable): Promise<string[]> {
  const { rows } = await db.query<{ appservice_id: string }>('SELECT DISTINCT appservice_id FROM appservice_outbox');
  return rows.map((row) => row.appservice_id);
}

/** Joined local-or-remote members of each room, and each room's local aliases (who an event may interest). */
export async function roomsAudience(db: Queryable, roomIds: readonly string[]): Promise<Map<string, { members: string[]; aliases: string[] }>> {
  const audience = new Map<string, { members: string[]; aliases: string[] }>(roomIds.map((roomId) => [roomId, { members: [], aliases: [] }]));
  if (roomIds.length === 0) return audience;
  const members = await db.query<{ room_id: string; state_key: string }>(
    "SELECT room_id, state_key FROM current_state_events WHERE room_id = ANY($1::text[]) AND type = 'm.room.member' AND membership = 'join'",
    [roomIds],
  );
  for (const row of members.rows) audience.get(row.room_id)?.members.push(row.state_key);
  const aliases = await db.query<{ room_id: string; room_alias: string }>('SELECT room_id, room_alias FROM room_aliases WHERE room_id = ANY($1::text[])', [roomIds]);
  for (const row of aliases.rows) audience.get(row.room_id)?.aliases.push(row.room_alias);
  return audience;
}

/** PUT /directory/list/appservice/{networkId}/{roomId}: lists or unlists the room in the network. */
export async function setAppserviceRoomListing(db: Queryable, listing: { appserviceId: string; networkId: string; roomId: string; visible: boolean }): Promise<void> {
  if (listing.visible) {
    await db.query('INSERT INTO appservice_room_list (appservice_id, network_id, room_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [listing.appserviceId, listing.networkId, listing.roomId]);
  } else {
    await db.query('DELETE FROM appservice_room_list WHERE appservice_id = $1 AND network_id = $2 AND room_id = $3', [listing.appserviceId, listing.networkId, listing.roomId]);
  }
}

/** The rooms an appservice listed in a network (third_party_instance_id `<appservice>|<network>`), or in every network. */
export async function appserviceRoomListing(db: Queryable, appserviceId?: string, networkId?: string): Promise<string[]> {
  const { rows } =
    appserviceId === undefined
      ? await db.query<{ room_id: string }>('SELECT DISTINCT room_id FROM appservice_room_list ORDER BY room_id')
      : await db.query<{ room_id: string }>('SELECT room_id FROM appservice_room_list WHERE appservice_id = $1 AND network_id = $2 ORDER BY room_id', [appserviceId, networkId ?? '']);
  return rows.map((row) => row.room_id);
}
