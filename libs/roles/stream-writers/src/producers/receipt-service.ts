// Receipts (m.read, m.read.private, threaded): stored as the latest per (room, type, user,
// thread) and announced on the receipts stream.
import { upsertReceipt, type ReceiptRow } from '@homeserver/storage';
import type { SendReceiptOptions } from '@homeserver/services';
import type { StreamWriter } from '@homeserver/streams';

/** Returns the stream position to wait for (the writer's when the receipt was older than the stored one). */
export async function sendReceipt(writer: StreamWriter<ReceiptRow>, options: SendReceiptOptions): Promise<number> {
  const { position } = await writer.write(async (tx) => {
    const [at] = await tx.allocate();
    const row: ReceiptRow = {
      roomId: options.roomId,
      receiptType: options.receiptType,
      userId: options.userId,
      threadId: options.threadId,
      eventId: options.eventId,
      ts: options.ts,
    };
    if (await upsertReceipt(tx, at!, { ...row, instanceName: writer.instanceName })) tx.addRow(at!, row);
  });
  return position;
}
