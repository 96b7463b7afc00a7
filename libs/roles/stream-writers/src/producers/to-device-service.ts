// Send-to-device messages for local users: one inbox row per target device, idempotent per
// (sender, sender device, txn id). Rows for remote users are sent on by the federation sender.
import { claimToDeviceTxn, insertToDevice, type Queryable, type ToDeviceRow } from '@homeserver/storage';
import type { SendToDeviceRequest } from '@homeserver/services';
import type { StreamWriter } from '@homeserver/streams';

export interface SendToDeviceOptions extends SendToDeviceRequest {
  /** Device ids of a local user, for '*'. */
  readonly devicesOf: (db: Queryable, userId: string) => Promise<string[]>;
}

export async function sendToDevice(writer: StreamWriter<ToDeviceRow>, options: SendToDeviceOptions): Promise<number> {
  const { position } = await writer.write(async (tx) => {
    if (!(await claimToDeviceTxn(tx, options.sender, options.senderDevice, options.txnId, options.now))) return;
    for (const [userId, byDevice] of Object.entries(options.messages)) {
      for (const [deviceSpec, content] of Object.entries(byDevice)) {
        // '*' for a remote user stays '*': their server knows their devices (the federation
        // sender passes it on in m.direct_to_device); the sender is always one of ours.
        const remote = userId.slice(userId.indexOf(':')) !== options.sender.slice(options.sender.indexOf(':'));
        const devices = deviceSpec === '*' && !remote ? await options.devicesOf(tx, userId) : [deviceSpec];
        for (const deviceId of devices) {
          const [at] = await tx.allocate();
          const row: ToDeviceRow = { userId, deviceId, sender: options.sender, type: options.type, content };
          await insertToDevice(tx, at!, { ...row, instanceName: writer.instanceName });
          tx.addRow(at!, row);
        }
      }
    }
  });
  return position;
}
