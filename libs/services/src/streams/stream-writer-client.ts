// The typed client of the stream writer actors (see stream-writer-protocol.ts): what an HTTP
// edge (or any caller) asks of the writers of typing, receipts, presence, to_device,
// account_data and device_lists, wherever `stream_writers` puts them.
import { defineActor, type ActorDefinition, type ActorSystem } from '@homeserver/actors';
import type { Database, Queryable } from '@homeserver/storage';
import {
  ACCOUNT_DATA_WRITER_KIND,
  DEVICE_LISTS_WRITER_KEY,
  DEVICE_LISTS_WRITER_KIND,
  PRESENCE_ACTOR_KIND,
  RECEIPTS_WRITER_KIND,
  TO_DEVICE_WRITER_KIND,
  TYPING_WRITER_KIND,
  type AccountDataWriterHandler,
  type DeviceListsWriterHandler,
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

/** What account data writes ask of the account_data writer, wherever it runs. */
export interface AccountDataWrites {
  /** Stores account data (roomId '' for global) at a position of the account_data stream. */
  set(userId: string, roomId: string, type: string, content: Record<string, unknown>): Promise<void>;
}

export function accountDataWrites(actors: ActorSystem, options: EphemeralWritesOptions = {}): AccountDataWrites {
  const ask = { timeoutMs: options.timeoutMs ?? 10_000 };
  const writer = actors.client(clientOf<AccountDataWriterHandler>(ACCOUNT_DATA_WRITER_KIND));
  return {
    async set(userId, roomId, type, content) {
      await writer.ask(userId, 'set', { roomId, type, content }, ask);
    },
  };
}

/** Changes of devices (and their keys) whose device-list changes the device_lists writer publishes. */
export interface DeviceListWrites {
  /**
   * Runs `work` in one transaction; the changes it queues with recordDeviceListChanges are
   * published by the device_lists writer once it committed. A writer that cannot be reached
   * then publishes them at its next publish or start: the write has happened, so it does not fail.
   */
  write<T>(work: (tx: Queryable) => Promise<T>): Promise<{ value: T }>;
}

export interface DeviceListWritesOptions extends EphemeralWritesOptions {
  /** Told when the writer could not be asked to publish. Default: nothing. */
  readonly onPublishFailed?: (error: unknown) => void;
}

export function deviceListWrites(db: Database, actors: ActorSystem, options: DeviceListWritesOptions = {}): DeviceListWrites {
  const ask = { timeoutMs: options.timeoutMs ?? 10_000 };
  const writer = actors.client(clientOf<DeviceListsWriterHandler>(DEVICE_LISTS_WRITER_KIND));
  return {
    async write(work) {
      const value = await db.transaction(work);
      await writer.ask(DEVICE_LISTS_WRITER_KEY, 'publish', {}, ask).catch((error: unknown) => options.onPublishFailed?.(error));
      return { value };
    },
  };
}
