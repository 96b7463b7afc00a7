// Presence: the user's state (online/unavailable/offline) and status message, on the presence stream.
import { upsertPresence, type PresenceRow } from '@homeserver/storage';
import type { SetPresenceOptions } from '@homeserver/services';
import type { StreamWriter } from '@homeserver/streams';

export async function setPresence(writer: StreamWriter<PresenceRow>, userId: string, options: SetPresenceOptions): Promise<number> {
  const { position } = await writer.write(async (tx) => {
    const [at] = await tx.allocate();
    const row: PresenceRow = {
      userId,
      state: options.state,
      statusMsg: options.statusMsg,
      lastActiveTs: options.now,
      currentlyActive: options.state === 'online',
    };
    await upsertPresence(tx, at!, { ...row, instanceName: writer.instanceName });
    tx.addRow(at!, row);
  });
  return position;
}
