// The ephemeral stream writers as actors: typing and receipts keyed by room, to-device keyed by
// sender, presence keyed by user. The process `stream_writers` names for a stream hosts its kind
// (a main or a sync process); every edge reaches it through the typed client below, wherever it
// runs, and placement follows the live hosts of the kind. Each reply carries the stream position
// the write reached.
import { defineActor, reply, type ActorDefinition, type ActorSystem, type Replied } from '@homeserver/actors';
import { knownDeviceIds, type PresenceRow, type ReceiptRow, type ToDeviceRow } from '@homeserver/storage';
import type { StreamWriter } from '@homeserver/streams';
import { setPresence, type SetPresenceOptions } from './presence-service.ts';
import { sendReceipt, type SendReceiptOptions } from './receipt-service.ts';
import { sendToDevice, type SendToDeviceOptions } from './to-device-service.ts';
import type { TypingService } from './typing-service.ts';

export const TYPING_WRITER_KIND = 'typing_writer';
export const RECEIPTS_WRITER_KIND = 'receipts_writer';
export const TO_DEVICE_WRITER_KIND = 'to_device_writer';
export const PRESENCE_ACTOR_KIND = 'presence';

/** Idle writer actors are dropped after this long (they hold nothing but the writer). */
const PASSIVATE_MS = 60_000;
/** Presence from /sync is rewritten only when it changed or is this old. */
const PRESENCE_REFRESH_MS = 60_000;

export interface TypingWriterHandler {
  set(message: { userId: string; typing: boolean; timeoutMs?: number }): Promise<Replied<null>>;
}
export interface ReceiptsWriterHandler {
  send(message: Omit<SendReceiptOptions, 'roomId'>): Promise<Replied<null>>;
}
export interface ToDeviceWriterHandler {
  send(message: Omit<SendToDeviceOptions, 'devicesOf' | 'sender'>): Promise<Replied<null>>;
}
export interface PresenceHandler {
  /** `set_presence` of a /sync: written only when it changed or the last write is a minute old. */
  setFromSync(message: { state: string }): Promise<null>;
  set(message: SetPresenceOptions): Promise<Replied<null>>;
}

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
          if (last && last.state === state && time - last.at < PRESENCE_REFRESH_MS) return null;
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

/** A kind as seen by callers in processes that do not host it: never activated there. */
function clientOf<H extends object>(kind: string): ActorDefinition<H> {
  return defineActor<H>(kind, {
    create: () => {
      throw new Error(`${kind} actors are hosted by the writer stream_writers names for their stream, not here`);
    },
  });
}

/** What the HTTP edge asks of the ephemeral writers, wherever they run. */
export interface EphemeralWrites {
  setTyping(roomId: string, userId: string, options: { typing: boolean; timeoutMs?: number }): Promise<void>;
  sendReceipt(options: SendReceiptOptions): Promise<void>;
  setPresence(userId: string, options: SetPresenceOptions): Promise<void>;
  /** `set_presence` of a /sync (best effort, told). */
  setPresenceFromSync(userId: string, state: string): Promise<void>;
  sendToDevice(options: Omit<SendToDeviceOptions, 'devicesOf'>): Promise<void>;
}

export interface EphemeralWritesOptions {
  /** Per-call timeout. Default: 10000 ms. */
  readonly timeoutMs?: number;
}

/** The edge's typed clients of the ephemeral writer actors. */
export function ephemeralWrites(actors: ActorSystem, options: EphemeralWritesOptions = {}): EphemeralWrites {
  const ask = { timeoutMs: options.timeoutMs ?? 10_000 };
  const typing = actors.client(clientOf<TypingWriterHandler>(TYPING_WRITER_KIND));
  const receipts = actors.client(clientOf<ReceiptsWriterHandler>(RECEIPTS_WRITER_KIND));
  const toDevice = actors.client(clientOf<ToDeviceWriterHandler>(TO_DEVICE_WRITER_KIND));
  const presence = actors.client(clientOf<PresenceHandler>(PRESENCE_ACTOR_KIND));
  return {
    async setTyping(roomId, userId, options) {
      await typing.ask(roomId, 'set', { userId, typing: options.typing, timeoutMs: options.timeoutMs }, ask);
    },
    async sendReceipt({ roomId, ...message }) {
      await receipts.ask(roomId, 'send', message, ask);
    },
    async setPresence(userId, options) {
      await presence.ask(userId, 'set', options, ask);
    },
    async setPresenceFromSync(userId, state) {
      await presence.tell(userId, 'setFromSync', { state }, ask);
    },
    async sendToDevice({ sender, ...message }) {
      await toDevice.ask(sender, 'send', message, ask);
    },
  };
}
