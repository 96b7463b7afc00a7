// The pusher role's view of the `events` stream, one shard at a time: for the shard's users who
// have pushers and are joined to the batch's rooms, the events' push actions (committed with the
// events by the room's persister, shared with /sync's unread counts) become outbox rows of their
// pushers, in the delivery's transaction; the pushers' senders wake after it commits.
//
// The sharded consumer hands a shard the rows whose keys fall in it, and an event concerns every
// member of its room: who they are is only known from PostgreSQL, inside the delivery. So each
// event is keyed to every shard (`everyShardKeys`: one key per shard) and each shard picks its
// users.
import type { ShardBatchContext, ShardItem } from '@homeserver/streams';
import { shardOf } from '@homeserver/streams';
import { enqueuePushes, pushesOwedForEvents, usersWithPushersIn, type EventStreamRow } from '@homeserver/storage';

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
