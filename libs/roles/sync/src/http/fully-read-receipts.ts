// m.fully_read markers stored as a receipt of type m.fully_read on the receipts stream, for
// processes where CS-accounts' account data writer is not wired into the ephemeral routes:
// /sync then serves the marker as room account data from the receipts table.
import type { EphemeralWrites } from '@homeserver/services';
import type { RoomAccountData } from './room-account-data.ts';

export class FullyReadReceipts implements RoomAccountData {
  #writes: Pick<EphemeralWrites, 'sendReceipt'>;
  #now: () => number;

  constructor(writes: Pick<EphemeralWrites, 'sendReceipt'>, now: () => number = Date.now) {
    this.#writes = writes;
    this.#now = now;
  }

  async set(userId: string, roomId: string, type: string, content: Record<string, unknown>): Promise<void> {
    const eventId = content['event_id'];
    if (type !== 'm.fully_read' || typeof eventId !== 'string') return;
    await this.#writes.sendReceipt({ roomId, userId, receiptType: 'm.fully_read', eventId, ts: this.#now() });
  }
}
