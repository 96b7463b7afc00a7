// The pusher role's view of the `receipts` stream (keyed by the receipt's user): a read receipt
// may lower the user's badge, so each of their pushers is owed a counts-only update (sent only if
// the count changed since the last push).
import { enqueuePushes, pushersOfUsers, type Queryable, type ReceiptRow } from '@homeserver/storage';
import type { ShardBatchContext, ShardItem } from '@homeserver/streams';

const READ_RECEIPTS = new Set(['m.read', 'm.read.private']);

/** The sharded consumer's keys of a receipt: its user, for read receipts only. */
export function receiptKeys(row: ReceiptRow): readonly string[] {
  return READ_RECEIPTS.has(row.receiptType) ? [row.userId] : [];
}

/** The sharded consumer's `skip`: a receipt of users without pushers owes nobody anything. */
export function skipReceipts(db: Queryable): (items: readonly ShardItem<ReceiptRow>[]) => Promise<boolean> {
  return async (items) => (await pushersOfUsers(db, [...new Set(items.map((item) => item.key))])).length === 0;
}

export interface ReceiptsConsumerDeps {
  readonly wake: (pusherId: number) => void;
  readonly now: () => number;
}

export function handleReceipts(deps: ReceiptsConsumerDeps): (items: readonly ShardItem<ReceiptRow>[], context: ShardBatchContext) => Promise<void> {
  return async (items, { tx, onCommit }) => {
    const pushers = await pushersOfUsers(tx, [...new Set(items.map((item) => item.key))]);
    if (pushers.length === 0) return;
    await enqueuePushes(tx, pushers.map((pusher) => ({ pusherId: pusher.id, userId: pusher.userId, kind: 'badge' as const })), deps.now());
    onCommit(() => {
      for (const pusher of pushers) deps.wake(pusher.id);
    });
  };
}
