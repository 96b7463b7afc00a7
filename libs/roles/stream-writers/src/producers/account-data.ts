// Account data (global and per room, tags and push rules included): the latest content per
// (user, room, type), announced on the account_data stream.
import { upsertAccountData, type AccountDataRow } from '@homeserver/storage';
import type { StreamWriter } from '@homeserver/streams';

/** Stores account data (roomId '' for global) and returns its stream position. */
export async function setAccountData(writer: StreamWriter<AccountDataRow>, userId: string, data: { roomId: string; type: string; content: Record<string, unknown> }): Promise<number> {
  const { position } = await writer.write(async (tx) => {
    const [at] = await tx.allocate(1);
    const row = { userId, roomId: data.roomId, type: data.type };
    await upsertAccountData(tx, at!, { ...row, content: data.content, instanceName: writer.instanceName });
    tx.addRow(at!, row);
  });
  return position;
}
