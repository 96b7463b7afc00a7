// The pusher role's view of the `events` stream: for each batch, the push actions of the new
// events (stored once, shared with /sync's unread counts) become outbox rows for the pushers of
// the users this shard owns, in the delivery's transaction; their senders wake after it commits.
import type { ShardDelivery } from '@homeserver/services';
import { enqueuePushes, pushesOwedForEvents, type EventStreamRow, type Queryable } from '@homeserver/storage';
import type { StreamRecord } from '@homeserver/streams';

export interface EventsConsumerDeps {
  /** Stores the batch's push actions (idempotent), through the delivery's transaction. */
  readonly storePushActions: (records: readonly StreamRecord<EventStreamRow>[], via: Queryable) => Promise<void>;
  readonly wake: (pusherId: number) => void;
  readonly now: () => number;
}

export function deliverEvents(deps: EventsConsumerDeps): (records: StreamRecord<EventStreamRow>[], delivery: ShardDelivery) => Promise<void> {
  return async (records, { tx, owns, afterCommit }) => {
    await deps.storePushActions(records, tx);
    const owed = (await pushesOwedForEvents(tx, records.map((record) => record.data.eventId))).filter((push) => owns(push.userId));
    if (owed.length === 0) return;
    await enqueuePushes(
      tx,
      owed.map((push) => ({ pusherId: push.pusherId, userId: push.userId, kind: 'event' as const, eventId: push.eventId, roomId: push.roomId, actions: push.actions })),
      deps.now(),
    );
    const pushers = new Set(owed.map((push) => push.pusherId));
    afterCommit(() => {
      for (const pusherId of pushers) deps.wake(pusherId);
    });
  };
}
