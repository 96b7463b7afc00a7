// The notifier's view of the `events` stream, one shard (a set of appservices) at a time: the
// events that interest each appservice of the shard are appended to its outbox in the delivery's
// transaction (with the stream position), and its sender wakes once that committed.
import type { AppserviceRegistration } from '@homeserver/config';
import { enqueueForAppservice, roomsAudience, type EventStreamRow } from '@homeserver/storage';
import type { ShardBatchContext, ShardItem } from '@homeserver/streams';
import { eventInterests } from './interest.ts';

export interface NotifierConsumerDeps {
  readonly appservices: ReadonlyMap<string, AppserviceRegistration>;
  readonly wake: (appserviceId: string) => void;
  readonly now: () => number;
}

/** Groups a shard's items by appservice (the item key), keeping their order. */
export function byAppservice<Row>(items: readonly ShardItem<Row>[]): Map<string, Row[]> {
  const groups = new Map<string, Row[]>();
  for (const item of items) {
    const group = groups.get(item.key) ?? [];
    group.push(item.record.data);
    groups.set(item.key, group);
  }
  return groups;
}

export function handleEvents(deps: NotifierConsumerDeps): (items: readonly ShardItem<EventStreamRow>[], context: ShardBatchContext) => Promise<void> {
  return async (items, { tx, onCommit }) => {
    const audience = await roomsAudience(tx, [...new Set(items.map((item) => item.record.data.roomId))]);
    const woken: string[] = [];
    for (const [appserviceId, rows] of byAppservice(items)) {
      const appservice = deps.appservices.get(appserviceId);
      if (appservice === undefined) continue;
      const wanted = rows.filter((row) => eventInterests(appservice, row, audience.get(row.roomId)));
      if (wanted.length === 0) continue;
      await enqueueForAppservice(tx, appserviceId, wanted.map((row) => ({ eventId: row.eventId })), deps.now());
      woken.push(appserviceId);
    }
    onCommit(() => woken.forEach(deps.wake));
  };
}
