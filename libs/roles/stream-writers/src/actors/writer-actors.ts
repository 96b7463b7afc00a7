// The stream writer actors (their protocol and typed client are in libs/services'
// stream-writer-protocol.ts): typing and receipts keyed by room, to-device keyed by sender,
// presence and account data keyed by user, device lists under one key. The process `stream_writers` names for a stream hosts its kind;
// placement follows the live hosts of the kind. Each reply carries the stream position the
// write reached.
import { defineActor, reply, type ActorDefinition } from '@homeserver/actors';
import {
  ACCOUNT_DATA_WRITER_KIND,
  DEVICE_LISTS_WRITER_KEY,
  DEVICE_LISTS_WRITER_KIND,
  PRESENCE_ACTOR_KIND,
  PRESENCE_SYNC_REFRESH_MS,
  RECEIPTS_WRITER_KIND,
  TO_DEVICE_WRITER_KIND,
  TYPING_WRITER_KIND,
  type AccountDataWriterHandler,
  type DeviceListsWriterHandler,
  type PresenceHandler,
  type ReceiptsWriterHandler,
  type ToDeviceWriterHandler,
  type TypingWriterHandler,
} from '@homeserver/services';
import { knownDeviceIds, type AccountDataRow, type DeviceListRow, type PresenceRow, type ReceiptRow, type ToDeviceRow } from '@homeserver/storage';
import type { StreamWriter } from '@homeserver/streams';
import { setAccountData } from '../producers/account-data.ts';
import { publishQueuedDeviceListChanges } from '../producers/device-lists.ts';
import { setPresence } from '../producers/presence-service.ts';
import { sendReceipt } from '../producers/receipt-service.ts';
import { sendToDevice } from '../producers/to-device-service.ts';
import type { TypingService } from '../producers/typing-service.ts';

/** Idle writer actors are dropped after this long (they hold nothing but the writer). */
const PASSIVATE_MS = 60_000;

const at = (writer: StreamWriter<unknown>, position: number) => [{ stream: writer.stream, writer: writer.instanceName, position }];

export function typingWriterActor(typing: TypingService, writer: StreamWriter<unknown>): ActorDefinition<TypingWriterHandler> {
  return defineActor<TypingWriterHandler>(TYPING_WRITER_KIND, {
    passivateAfterMs: PASSIVATE_MS,
    create: (roomId) => ({
      async set({ userId, typing: on, timeoutMs }) {
        return reply(null, at(writer, await typing.setTyping(roomId, userId, { typing: on, timeoutMs })));
      },
    }),
  });
}

export function receiptsWriterActor(writer: StreamWriter<ReceiptRow>): ActorDefinition<ReceiptsWriterHandler> {
  return defineActor<ReceiptsWriterHandler>(RECEIPTS_WRITER_KIND, {
    passivateAfterMs: PASSIVATE_MS,
    create: (roomId) => ({
      async send(message) {
        return reply(null, at(writer, await sendReceipt(writer, { ...message, roomId })));
      },
    }),
  });
}

export function toDeviceWriterActor(writer: StreamWriter<ToDeviceRow>): ActorDefinition<ToDeviceWriterHandler> {
  return defineActor<ToDeviceWriterHandler>(TO_DEVICE_WRITER_KIND, {
    passivateAfterMs: PASSIVATE_MS,
    create: (sender) => ({
      async send(message) {
        return reply(null, at(writer, await sendToDevice(writer, { ...message, sender, devicesOf: knownDeviceIds })));
      },
    }),
  });
}

export function presenceActor(writer: StreamWriter<PresenceRow>, now: () => number): ActorDefinition<PresenceHandler> {
  return defineActor<PresenceHandler>(PRESENCE_ACTOR_KIND, {
    passivateAfterMs: 5 * 60_000,
    create: (userId) => {
      let last: { state: string; at: number } | undefined;
      return {
        async setFromSync({ state }) {
          const time = now();
          if (last && last.state === state && time - last.at < PRESENCE_SYNC_REFRESH_MS) return null;
          await setPresence(writer, userId, { state, now: time });
          last = { state, at: time };
          return null;
        },
        async set(options) {
          const position = await setPresence(writer, userId, options);
          last = { state: options.state, at: options.now };
          return reply(null, at(writer, position));
        },
      };
    },
  });
}

export function accountDataWriterActor(writer: StreamWriter<AccountDataRow>): ActorDefinition<AccountDataWriterHandler> {
  return defineActor<AccountDataWriterHandler>(ACCOUNT_DATA_WRITER_KIND, {
    passivateAfterMs: PASSIVATE_MS,
    create: (userId) => ({
      async set(message) {
        return reply(null, at(writer, await setAccountData(writer, userId, message)));
      },
    }),
  });
}

/** One key: publishes never interleave, so queued changes keep their order in the stream. */
export function deviceListsWriterActor(writer: StreamWriter<DeviceListRow>): ActorDefinition<DeviceListsWriterHandler> {
  return defineActor<DeviceListsWriterHandler>(DEVICE_LISTS_WRITER_KIND, {
    passivateAfterMs: PASSIVATE_MS,
    create: (key) => {
      if (key !== DEVICE_LISTS_WRITER_KEY) throw new Error(`${DEVICE_LISTS_WRITER_KIND} has the one key ${DEVICE_LISTS_WRITER_KEY}, not ${key}`);
      return {
        async publish() {
          return reply(null, at(writer, await publishQueuedDeviceListChanges(writer)));
        },
      };
    },
  });
}
