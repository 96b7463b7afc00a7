// The streams CS-sync writes (default writer 'main') and /sync reads. Each definition's
// catch-up call reads the domain table in libs/storage/src/sync, so a reader that misses a bus
// message fetches exactly the rows the writer would have sent inline. device_lists is defined in
// @homeserver/services, as main's device lifecycle writes it too.
import {
  fetchPresenceSince,
  fetchToDeviceSince,
  fetchTypingSince,
  type PresenceRow,
  type ToDeviceRow,
  type TypingRow,
} from '@homeserver/storage';
import { defineStream } from '@homeserver/streams';

export { deviceListsStream, receiptsStream } from '@homeserver/services';

export const typingStream = defineStream<TypingRow>({ name: 'typing', fetchSince: fetchTypingSince });
export const presenceStream = defineStream<PresenceRow>({ name: 'presence', fetchSince: fetchPresenceSince });
export const toDeviceStream = defineStream<ToDeviceRow>({ name: 'to_device', fetchSince: fetchToDeviceSince });
