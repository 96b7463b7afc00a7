// Ephemeral events for appservices registered with receive_ephemeral: typing and read receipts
// in rooms that interest the appservice, and the presence of its users and of users sharing a
// room with them. Each becomes an outbox item (in the spec's transaction `ephemeral` format) in
// the delivery's transaction, as the events consumer does.
import type { AppserviceRegistration } from '@homeserver/config';
import { Appservices } from '@homeserver/services';
import { enqueueForAppservice, roomsAudience, type PresenceRow, type Queryable, type ReceiptRow, type TypingRow } from '@homeserver/storage';
import type { ShardBatchContext, ShardItem } from '@homeserver/streams';
import { byAppservice, type NotifierConsumerDeps } from './events-consumer.ts';
import { roomInterests, type RoomAudience } from './interest.ts';

type Edu = Record<string, unknown>;

/** Turns a shard's rows into the EDUs each appservice is owed (room-scoped ones carry room_id). */
function ephemeralHandler<Row>(
  deps: NotifierConsumerDeps,
  rooms: (rows: readonly Row[]) => readonly string[],
  edusFor: (appservice: AppserviceRegistration, rows: readonly Row[], audience: ReadonlyMap<string, RoomAudience>, tx: Queryable) => Promise<Edu[]>,
): (items: readonly ShardItem<Row>[], context: ShardBatchContext) => Promise<void> {
  return async (items, { tx, onCommit }) => {
    const audience = await roomsAudience(tx, [...new Set(rooms(items.map((item) => item.record.data)))]);
    const woken: string[] = [];
    for (const [appserviceId, rows] of byAppservice(items)) {
      const appservice = deps.appservices.get(appserviceId);
      if (appservice === undefined || !appservice.receiveEphemeral) continue;
      const edus = await edusFor(appservice, rows, audience, tx);
      if (edus.length === 0) continue;
      await enqueueForAppservice(tx, appserviceId, edus.map((edu) => ({ edu })), deps.now());
      woken.push(appserviceId);
    }
    onCommit(() => woken.forEach(deps.wake));
  };
}

export function handleTyping(deps: NotifierConsumerDeps) {
  return ephemeralHandler<TypingRow>(
    deps,
    (rows) => rows.map((row) => row.roomId),
    async (appservice, rows, audience) =>
      rows.filter((row) => roomInterests(appservice, row.roomId, audience.get(row.roomId))).map((row) => ({ type: 'm.typing', room_id: row.roomId, content: { user_ids: [...row.userIds] } })),
  );
}

export function handleReceipts(deps: NotifierConsumerDeps) {
  return ephemeralHandler<ReceiptRow>(
    deps,
    (rows) => rows.map((row) => row.roomId),
    async (appservice, rows, audience) =>
      rows
        .filter((row) => roomInterests(appservice, row.roomId, audience.get(row.roomId)))
        .map((row) => ({
          type: 'm.receipt',
          room_id: row.roomId,
          content: { [row.eventId]: { [row.receiptType]: { [row.userId]: { ts: row.ts, ...(row.threadId === undefined ? {} : { thread_id: row.threadId }) } } } },
        })),
  );
}

/** Whether `userId` shares a joined room with a user of the appservice. */
async function sharesRoomWith(tx: Queryable, appservice: AppserviceRegistration, userId: string): Promise<boolean> {
  const { rows } = await tx.query<{ state_key: string }>(
    `SELECT DISTINCT m.state_key FROM current_state_events mine
       JOIN current_state_events m ON m.room_id = mine.room_id AND m.type = 'm.room.member' AND m.membership = 'join'
      WHERE mine.type = 'm.room.member' AND mine.membership = 'join' AND mine.state_key = $1`,
    [userId],
  );
  return rows.some((row) => Appservices.mayActAs(appservice, row.state_key));
}

export function handlePresence(deps: NotifierConsumerDeps) {
  return ephemeralHandler<PresenceRow>(
    deps,
    () => [],
    async (appservice, rows, _audience, tx) => {
      const edus: Edu[] = [];
      for (const row of rows) {
        if (!Appservices.mayActAs(appservice, row.userId) && !(await sharesRoomWith(tx, appservice, row.userId))) continue;
        const content: Edu = { presence: row.state, currently_active: row.currentlyActive, last_active_ago: Math.max(0, deps.now() - row.lastActiveTs) };
        if (row.statusMsg !== undefined) content['status_msg'] = row.statusMsg;
        edus.push({ type: 'm.presence', sender: row.userId, content });
      }
      return edus;
    },
  );
}
