// The typed client of the stream writer actors (see stream-writer-protocol.ts): what an HTTP
// edge (or any caller) asks of the writers of typing, receipts, presence and to_device,
// wherever `stream_writers` puts them.
import { defineActor, type ActorDefinition, type ActorSystem } from '@homeserver/actors';
import {
  PRESENCE_ACTOR_KIND,
  RECEIPTS_WRITER_KIND,
  TO_DEVICE_WRITER_KIND,
  TYPING_WRITER_KIND,
  type PresenceHandler,
  type ReceiptsWriterHandler,
  type SendReceiptOptions,
  type SendToDeviceRequest,
  type SetPresenceOptions,
  type ToDeviceWriterHandler,
  type TypingWriterHandler,
} from './stream-writer-protocol.ts';

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
  sendToDevice(options: SendToDeviceRequest): Promise<void>;
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
