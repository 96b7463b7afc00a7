// The pusher role's view of the `receipts` stream: a read receipt of a user this shard owns
// may lower their badge, so each of their pushers is owed a counts-only update (sent only if
// the count changed since the last push).
import type { ShardDelivery } from '@homeserver/services';
import { enqueuePushes, pushersOfUsers, type ReceiptRow } from '@homeserver/storage';
import type { StreamRecord } from '@homeserver/streams';

const READ_RECEIPTS = new Set(['m.read', 'm.read.private']);

export interface ReceiptsConsumerDeps {
  readonly wake: (pusherId: number) => void;
  readonly now: () => number;
}

export function deliverReceipts(deps: ReceiptsConsumerDeps): (records: StreamRecord<ReceiptRow>[], delivery: ShardDelivery) => Promise<void> {
  return async (records, { tx, owns, afterCommit }) => {
    const readers = [...new Set(records.filter((r) => READ_RECEIPTS.has(r.data.receiptType) && owns(r.data.userId)).map((r) => r.data.userId))];
    if (readers.length === 0) return;
    const pushers = await pushersOfUsers(tx, readers);
    if (pushers.length === 0) return;
    await enqueuePushes(tx, pushers.map((pusher) => ({ pusherId: pusher.id, userId: pusher.userId, kind: 'badge' as const })), deps.now());
    afterCommit(() => {
      for (const pusher of pushers) deps.wake(pusher.id);
    });
  };
}
