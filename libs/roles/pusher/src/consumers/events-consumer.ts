// The pusher role's view of the `events` stream, one shard at a time: for the shard's users who
// have pushers and are joined to the batch's rooms, the events' push actions (committed with the
// events by the room's persister, shared with /sync's unread counts) become outbox rows of their
// pushers, in the delivery's transaction; the pushers' senders wake after it commits.
//
// The sharded consumer hands a shard the rows whose keys fall in it, and an event concerns every
// member of its room: who they are is only known from PostgreSQL, inside the delivery. So each
// event is keyed to every shard (`everyShardKeys`: one key per shard) and each shard picks its
// users. Before a shard opens its delivery transaction it asks (`skipEvents`) whether any of
// its users with a pusher is in the batch's rooms: on a server without pushers, or for rooms
// without them, no shard opens one.
import type { ShardBatchContext, ShardItem } from '@homeserver/streams';
import { coalesceInFlight, shardOf } from '@homeserver/streams';
import { enqueuePushes, pushesOwedForEvents, usersWithPushersIn, type EventStreamRow, type Queryable } from '@homeserver/storage';

export interface EventsConsumerDeps {
  readonly shards: number;
  readonly wake: (pusherId: number) => void;
  readonly now: () => number;
}

export function handleEvents(deps: EventsConsumerDeps): (items: readonly ShardItem<EventStreamRow>[], context: ShardBatchContext) => Promise<void> {
  return async (items, { shard, tx, onCommit }) => {
    const records = [...new Map(items.map((item) => [item.record.data.eventId, item.record])).values()];
    const candidates = (await usersWithPushersIn(tx, records.map((record) => record.data.roomId))).filter((userId) => shardOf(userId, deps.shards) === shard);
    if (candidates.length === 0) return;
    const owed = await pushesOwedForEvents(tx, records.map((record) => record.data.eventId), candidates);
    if (owed.length === 0) return;
    await enqueuePushes(
      tx,
      owed.map((push) => ({ pusherId: push.pusherId, userId: push.userId, kind: 'event' as const, eventId: push.eventId, roomId: push.roomId, actions: push.actions })),
      deps.now(),
    );
    const pushers = new Set(owed.map((push) => push.pusherId));
    onCommit(() => {
      for (const pusherId of pushers) deps.wake(pusherId);
    });
  };
}

/**
 * The sharded consumer's `skip`: true when no user of the shard with a pusher is joined to a
 * room of the batch (one query for every shard asking at the same moment).
 */
export function skipEvents(db: Queryable, shards: number): (items: readonly ShardItem<EventStreamRow>[], shard: number) => Promise<boolean> {
  const pushable = coalesceInFlight((rooms: readonly string[]) => rooms.join(' '), (rooms) => usersWithPushersIn(db, rooms));
  return async (items, shard) => {
    const rooms = [...new Set(items.map((item) => item.record.data.roomId))].sort();
    return !(await pushable(rooms)).some((userId) => shardOf(userId, shards) === shard);
  };
}
