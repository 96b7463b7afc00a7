// The `events` stream as the federation sender reads it: each event our users sent is queued
// for every other server that had a member joined to the room just before it, in the
// delivery's transaction, so a delivery that commits queued its PDUs exactly once. An invitee's
// server had its invite through /invite already and may not hold the room (Synapse sends it
// nothing more). Events of other servers are theirs to send.
import { enqueueFederationPdus, roomsWithRemoteMembers, serversJoinedBeforeEvents, type EventStreamRow, type OutboxPdu, type Queryable } from '@homeserver/storage';
import { coalesceInFlight, everyShardKeys, shardOf, type ShardBatchContext, type ShardItem } from '@homeserver/streams';
import { serverOf } from './server-of.ts';

export interface SenderConsumerDeps {
  readonly serverName: string;
  readonly shards: number;
  /** False for servers we must not send to (federation_domain_whitelist). */
  readonly allows: (destination: string) => boolean;
  /** Wakes the destination's queue (after the delivery committed). */
  readonly wake: (destination: string) => void;
}

/** Keys of an events row: every shard for our own users' events, none for others'. */
export function pduKeys(deps: Pick<SenderConsumerDeps, 'serverName' | 'shards'>): (row: EventStreamRow) => readonly string[] {
  const all = everyShardKeys(deps.shards);
  return (row) => (serverOf(row.sender) === deps.serverName ? all : []);
}

/**
 * The sharded consumer's `skip`: true when the batch can owe nothing to another server (no
 * room of it where a remote user ever had a membership), so a server talking to nobody opens
 * no delivery transaction (one query for every shard asking at the same moment).
 */
export function skipLocalRooms(db: Queryable, serverName: string): (items: readonly ShardItem<EventStreamRow>[]) => Promise<boolean> {
  const remoteRooms = coalesceInFlight((rooms: readonly string[]) => rooms.join(' '), (rooms) => roomsWithRemoteMembers(db, rooms, serverName));
  return async (items) => (await remoteRooms([...new Set(items.map((item) => item.record.data.roomId))].sort())).length === 0;
}

export function handleEventRows(deps: SenderConsumerDeps): (items: readonly ShardItem<EventStreamRow>[], context: ShardBatchContext) => Promise<void> {
  return async (items, { shard, tx, onCommit }) => {
    const records = [...new Map(items.map((item) => [item.record.data.eventId, item.record])).values()];
    const joined = await serversJoinedBeforeEvents(
      tx,
      records.map((r) => ({ eventId: r.data.eventId, roomId: r.data.roomId, streamOrdering: r.position })),
    );
    const rows: OutboxPdu[] = [];
    for (const record of records) {
      for (const destination of joined.get(record.data.eventId) ?? []) {
        if (destination === deps.serverName || shardOf(destination, deps.shards) !== shard || !deps.allows(destination)) continue;
        rows.push({ destination, eventId: record.data.eventId, roomId: record.data.roomId, streamOrdering: record.position });
      }
    }
    if (rows.length === 0) return;
    await enqueueFederationPdus(tx, rows);
    const destinations = new Set(rows.map((r) => r.destination));
    onCommit(() => {
      for (const destination of destinations) deps.wake(destination);
    });
  };
}
