// The `device_lists` replication stream: which users' devices changed (created, deleted,
// renamed, new device keys), for /sync's device_lists.changed and /keys/changes. Any edge that
// changes a device queues the change in its own transaction (recordDeviceListChanges, through
// DeviceListWrites); the writer stream_writers names publishes queued changes at its positions
// (role-stream-writers), read by sync and the federation sender.
import { fetchDeviceListChangesSince, queueDeviceListChange, type DeviceListRow, type Queryable } from '@homeserver/storage';
import { defineStream } from '@homeserver/streams';

export const deviceListsStream = defineStream<DeviceListRow>({ name: 'device_lists', fetchSince: fetchDeviceListChangesSince });

export interface DeviceListChange {
  readonly userId: string;
  /** Devices of `userId` that changed; none records nothing. */
  readonly deviceIds: readonly string[];
}

/** Queues the change inside the caller's transaction (DeviceListWrites.write), one row per device. */
export async function recordDeviceListChanges(tx: Queryable, change: DeviceListChange): Promise<void> {
  for (const deviceId of new Set(change.deviceIds)) await queueDeviceListChange(tx, { userId: change.userId, deviceId });
}
