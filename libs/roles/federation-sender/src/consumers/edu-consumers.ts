// The ephemeral streams as the federation sender reads them: what our users do (typing, read
// receipts, presence, device changes, to-device messages to remote users) becomes EDUs queued
// for the servers concerned, in the delivery's transaction. EDUs where only the latest matters
// (a user's typing in a room, a user's presence, a user's receipt of a type in a room) replace
// the unsent one before them.
import {
  deviceListChangeBefore,
  enqueueFederationEdus,
  getCrossSigningKeys,
  getDevice,
  previousTypingUsers,
  queryDeviceKeys,
  serversJoinedToRooms,
  serversSharingRoomsWith,
  type DeviceListRow,
  type OutboxEdu,
  type PresenceRow,
  type Queryable,
  type ReceiptRow,
  type ToDeviceRow,
  type TypingRow,
} from '@homeserver/storage';
import { coalesceInFlight, everyShardKeys, shardOf, type ShardBatchContext, type ShardItem, type StreamRecord } from '@homeserver/streams';
import type { SenderConsumerDeps } from './events-consumer.ts';
import { serverOf } from './server-of.ts';

type Handler<Row> = (items: readonly ShardItem<Row>[], context: ShardBatchContext) => Promise<void>;

export interface EduConsumer<Row> {
  readonly keysOf: (row: Row, record: StreamRecord<Row>) => readonly string[];
  readonly handle: Handler<Row>;
  /** See ShardedConsumerOptions.skip. Default: every item is handled. */
  readonly skip?: (items: readonly ShardItem<Row>[], shard: number) => Promise<boolean>;
}

export interface EduConsumerDeps extends SenderConsumerDeps {
  readonly now: () => number;
  /** Synapse's allow_device_name_lookup_over_federation: device names go out in device list updates. Default: false. */
  readonly deviceNamesOverFederation?: boolean;
}

/** Queues `edus` for the destinations of this shard and wakes them after the commit. */
function enqueuer<Row>(deps: EduConsumerDeps, build: (records: StreamRecord<Row>[], tx: Queryable) => Promise<OutboxEdu[]>): Handler<Row> {
  return async (items, { shard, tx, onCommit }) => {
    const records = [...new Map(items.map((item) => [`${item.record.writer}/${item.record.position}`, item.record])).values()];
    const edus = (await build(records, tx)).filter((edu) => edu.destination !== deps.serverName && shardOf(edu.destination, deps.shards) === shard && deps.allows(edu.destination));
    if (edus.length === 0) return;
    await enqueueFederationEdus(tx, edus);
    const destinations = new Set(edus.map((edu) => edu.destination));
    onCommit(() => {
      for (const destination of destinations) deps.wake(destination);
    });
  };
}

function ownKeys(deps: EduConsumerDeps): (userId: string) => readonly string[] {
  const all = everyShardKeys(deps.shards);
  return (userId) => (serverOf(userId) === deps.serverName ? all : []);
}

/**
 * The sharded consumer's `skip` for rows about our users that go to the servers sharing a room
 * with them (presence, device changes): true when no user of the batch shares a room with a
 * user of another server, so a server talking to nobody opens no delivery transaction for them.
 * Every shard receives each such row (ownKeys): one query answers them all.
 */
export function skipUnsharedUsers<Row extends { readonly userId: string }>(db: Queryable, serverName: string): (items: readonly ShardItem<Row>[]) => Promise<boolean> {
  const sharedWithOthers = coalesceInFlight(
    (users: readonly string[]) => users.join(' '),
    async (users) => [...(await serversSharingRoomsWith(db, users)).values()].some((servers) => servers.some((server) => server !== serverName)),
  );
  return async (items) => !(await sharedWithOthers([...new Set(items.map((item) => item.record.data.userId))].sort()));
}

/** m.typing: one EDU per user whose typing changed in the room, for the room's servers. */
export function typingConsumer(deps: EduConsumerDeps): EduConsumer<TypingRow> {
  const all = everyShardKeys(deps.shards);
  return {
    // Who stopped typing is only known against the room's previous row: every row is looked at.
    keysOf: () => all,
    handle: enqueuer<TypingRow>(deps, async (records, tx) => {
      const servers = await serversJoinedToRooms(tx, records.map((r) => r.data.roomId));
      const edus: OutboxEdu[] = [];
      for (const record of records) {
        const { roomId, userIds } = record.data;
        const before = await previousTypingUsers(tx, roomId, record.position);
        const changes = [...userIds.filter((u) => !before.includes(u)).map((u) => [u, true] as const), ...before.filter((u) => !userIds.includes(u)).map((u) => [u, false] as const)];
        for (const [userId, typing] of changes) {
          if (serverOf(userId) !== deps.serverName) continue;
          for (const destination of servers.get(roomId) ?? []) {
            edus.push({ destination, eduType: 'm.typing', content: { room_id: roomId, user_id: userId, typing }, coalesceKey: `typing ${roomId} ${userId}` });
          }
        }
      }
      return edus;
    }),
  };
}

/** m.receipt: our users' public receipts, for the room's servers. */
export function receiptsConsumer(deps: EduConsumerDeps): EduConsumer<ReceiptRow> {
  const keys = ownKeys(deps);
  return {
    keysOf: (row) => (row.receiptType === 'm.read.private' ? [] : keys(row.userId)),
    handle: enqueuer<ReceiptRow>(deps, async (records, tx) => {
      const servers = await serversJoinedToRooms(tx, records.map((r) => r.data.roomId));
      return records.flatMap(({ data: r }) => {
        const data = { ts: r.ts, ...(r.threadId === undefined ? {} : { thread_id: r.threadId }) };
        const content = { [r.roomId]: { [r.receiptType]: { [r.userId]: { event_ids: [r.eventId], data } } } };
        return (servers.get(r.roomId) ?? []).map((destination) => ({
          destination,
          eduType: 'm.receipt',
          content,
          coalesceKey: `receipt ${r.roomId} ${r.receiptType} ${r.threadId ?? ''} ${r.userId}`,
        }));
      });
    }),
  };
}

/** m.presence: our users' presence, for the servers sharing a room with them. */
export function presenceConsumer(deps: EduConsumerDeps): EduConsumer<PresenceRow> {
  const keys = ownKeys(deps);
  return {
    keysOf: (row) => keys(row.userId),
    handle: enqueuer<PresenceRow>(deps, async (records, tx) => {
      const servers = await serversSharingRoomsWith(tx, records.map((r) => r.data.userId));
      return records.flatMap(({ data: p }) => {
        const push = {
          user_id: p.userId,
          presence: p.state,
          last_active_ago: Math.max(0, deps.now() - p.lastActiveTs),
          currently_active: p.currentlyActive,
          ...(p.statusMsg === undefined ? {} : { status_msg: p.statusMsg }),
        };
        return (servers.get(p.userId) ?? []).map((destination) => ({ destination, eduType: 'm.presence', content: { push: [push] }, coalesceKey: `presence ${p.userId}` }));
      });
    }),
  };
}

/** m.direct_to_device: messages our users sent to devices of remote users, for those users' servers. */
export function toDeviceConsumer(deps: EduConsumerDeps): EduConsumer<ToDeviceRow> {
  return {
    // The destination is known from the row: no query, no fan-out to every shard.
    keysOf: (row) => (serverOf(row.sender) === deps.serverName && serverOf(row.userId) !== deps.serverName ? [serverOf(row.userId)] : []),
    handle: enqueuer<ToDeviceRow>(deps, async (records) =>
      records.map(({ data: m, writer, position }) => ({
        destination: serverOf(m.userId),
        eduType: 'm.direct_to_device',
        // The stream position names the message uniquely: the receiver deduplicates by it.
        content: { sender: m.sender, type: m.type, message_id: `${writer}-${position}`, messages: { [m.userId]: { [m.deviceId]: m.content } } },
      })),
    ),
  };
}

/**
 * m.device_list_update: our users' device changes (with the device's keys), for the servers
 * sharing a room with them. A new master or self-signing key (recorded under its public key)
 * goes as m.signing_key_update instead; the user-signing key is for its owner only.
 */
export function deviceListsConsumer(deps: EduConsumerDeps): EduConsumer<DeviceListRow> {
  const keys = ownKeys(deps);
  return {
    keysOf: (row) => keys(row.userId),
    handle: enqueuer<DeviceListRow>(deps, async (records, tx) => {
      const servers = await serversSharingRoomsWith(tx, records.map((r) => r.data.userId));
      const crossSigning = await getCrossSigningKeys(tx, records.map((r) => r.data.userId));
      const edus: OutboxEdu[] = [];
      for (const { data: change, position } of records) {
        const destinations = servers.get(change.userId) ?? [];
        if (destinations.length === 0) continue;
        const signing = crossSigning.get(change.userId) ?? {};
        if (signing.user_signing?.keyId === change.deviceId) continue;
        if (signing.master?.keyId === change.deviceId || signing.self_signing?.keyId === change.deviceId) {
          const content = {
            user_id: change.userId,
            ...(signing.master ? { master_key: signing.master.json } : {}),
            ...(signing.self_signing ? { self_signing_key: signing.self_signing.json } : {}),
          };
          for (const destination of destinations) edus.push({ destination, eduType: 'm.signing_key_update', content, coalesceKey: `signing keys ${change.userId}` });
          continue;
        }
        const device = await getDevice(tx, change.userId, change.deviceId);
        const deviceKeys = device ? (await queryDeviceKeys(tx, new Map([[change.userId, [change.deviceId]]]))).get(change.userId)?.get(change.deviceId) : undefined;
        const prevId = await deviceListChangeBefore(tx, change.userId, position);
        const content = {
          user_id: change.userId,
          device_id: change.deviceId,
          stream_id: position,
          prev_id: prevId === undefined ? [] : [prevId],
          deleted: device === undefined,
          ...(deps.deviceNamesOverFederation === true && device?.displayName ? { device_display_name: device.displayName } : {}),
          ...(deviceKeys ? { keys: deviceKeys } : {}),
        };
        for (const destination of destinations) edus.push({ destination, eduType: 'm.device_list_update', content });
      }
      return edus;
    }),
  };
}
