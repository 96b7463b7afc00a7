// The streams CS-sync writes (default writer 'main') and /sync reads. Each definition's
// catch-up call reads the domain table in libs/storage/src/sync, so a reader that misses a bus
// message fetches exactly the rows the writer would have sent inline.
import {
  fetchDeviceListChangesSince,
  fetchPresenceSince,
  fetchReceiptsSince,
  fetchToDeviceSince,
  fetchTypingSince,
  type DeviceListRow,
  type PresenceRow,
  type ReceiptRow,
  type ToDeviceRow,
  type TypingRow,
} from '@homeserver/storage';
import { defineStream } from '@homeserver/streams';

export const typingStream = defineStream<TypingRow>({ name: 'typing', fetchSince: fetchTypingSince });
export const receiptsStream = defineStream<ReceiptRow>({ name: 'receipts', fetchSince: fetchReceiptsSince });
export const presenceStream = defineStream<PresenceRow>({ name: 'presence', fetchSince: fetchPresenceSince });
export const toDeviceStream = defineStream<ToDeviceRow>({ name: 'to_device', fetchSince: fetchToDeviceSince });
export const deviceListsStream = defineStream<DeviceListRow>({ name: 'device_lists', fetchSince: fetchDeviceListChangesSince });
