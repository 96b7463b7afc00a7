// Device-list changes: edges queue them in their own transactions (libs/services'
// recordDeviceListChanges); the writer takes every queued change and gives each a position of
// the device_lists stream, in one transaction, so a change is published once.
import { insertDeviceListChange, takeQueuedDeviceListChanges, type DeviceListRow } from '@homeserver/storage';
import type { StreamWriter } from '@homeserver/streams';

/** Publishes what is queued; returns the writer's position after it. */
export async function publishQueuedDeviceListChanges(writer: StreamWriter<DeviceListRow>): Promise<number> {
  const { position } = await writer.write(async (tx) => {
    const queued = await takeQueuedDeviceListChanges(tx);
    if (queued.length === 0) return;
    const positions = await tx.allocate(queued.length);
    for (const [i, row] of queued.entries()) {
      await insertDeviceListChange(tx, positions[i]!, { ...row, instanceName: writer.instanceName });
      tx.addRow(positions[i]!, row);
    }
  });
  return position;
}
