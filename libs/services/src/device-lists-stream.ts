// The `device_lists` replication stream: which users' devices changed (created, deleted,
// renamed, new device keys), for /sync's device_lists.changed and /keys/changes. Written by
// main's account routes (device lifecycle) and the key-upload route, read by sync. Both writers
// live in the process hosting main and share one StreamWriter (see shared-stream-writer.ts).
import { fetchDeviceListChangesSince, insertDeviceListChange, type DeviceListRow } from '@homeserver/storage';
import { defineStream, type StreamTransaction } from '@homeserver/streams';

export const deviceListsStream = defineStream<DeviceListRow>({ name: 'device_lists', fetchSince: fetchDeviceListChangesSince });

export interface DeviceListChange {
  /** The writer's instance name (StreamWriter.instanceName). Required. */
  readonly instanceName: string;
  readonly userId: string;
  /** Devices of `userId` that changed; none records nothing. */
  readonly deviceIds: readonly string[];
}

/** Records the change inside a device_lists writer's transaction, one position per device. */
export async function recordDeviceListChanges(tx: StreamTransaction<DeviceListRow>, change: DeviceListChange): Promise<void> {
  const deviceIds = [...new Set(change.deviceIds)];
  if (deviceIds.length === 0) return;
  const positions = await tx.allocate(deviceIds.length);
  for (const [i, deviceId] of deviceIds.entries()) {
    const row = { userId: change.userId, deviceId };
    await insertDeviceListChange(tx, positions[i]!, { ...row, instanceName: change.instanceName });
    tx.addRow(positions[i]!, row);
  }
}
