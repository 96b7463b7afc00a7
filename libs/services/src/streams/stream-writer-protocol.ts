// The protocol of the stream writer actors (role-stream-writers): their kinds, keys and
// messages. Typing and receipts are keyed by room, to-device by sender, presence and account
// data by user; device_lists has one key (it publishes the changes edges queued). The
// process `stream_writers` names for a stream hosts its kind, whichever app it is; every other
// process reaches it by address through the typed client (stream-writer-client.ts). Each reply
// carries the stream position the write reached.
import type { Replied } from '@homeserver/actors';

export const TYPING_WRITER_KIND = 'typing_writer';
export const RECEIPTS_WRITER_KIND = 'receipts_writer';
export const TO_DEVICE_WRITER_KIND = 'to_device_writer';
export const PRESENCE_ACTOR_KIND = 'presence';
/** How old a user's presence write may grow before an unchanged `set_presence` of a /sync writes it again (keeping it from timing out). */
export const PRESENCE_SYNC_REFRESH_MS = 60_000;
export const ACCOUNT_DATA_WRITER_KIND = 'account_data_writer';
export const DEVICE_LISTS_WRITER_KIND = 'device_lists_writer';
/** The one key of the device_lists writer actor: its publishes never interleave. */
export const DEVICE_LISTS_WRITER_KEY = 'queued';

export const PRESENCE_STATES = ['online', 'offline', 'unavailable'] as const;

export interface SendReceiptOptions {
  readonly roomId: string;
  readonly userId: string;
  readonly receiptType: string;
  readonly eventId: string;
  /** undefined = unthreaded; 'main' = the main timeline. Default: unthreaded. */
  readonly threadId?: string;
  readonly ts: number;
}

export interface SetPresenceOptions {
  readonly state: string;
  /** undefined clears the message. */
  readonly statusMsg?: string;
  readonly now: number;
}

export interface SendToDeviceRequest {
  readonly sender: string;
  readonly senderDevice: string;
  readonly txnId: string;
  readonly type: string;
  /** user -> device id (or '*') -> content */
  readonly messages: Readonly<Record<string, Readonly<Record<string, Record<string, unknown>>>>>;
  readonly now: number;
}

export interface TypingWriterHandler {
  set(message: { userId: string; typing: boolean; timeoutMs?: number }): Promise<Replied<null>>;
}
export interface ReceiptsWriterHandler {
  send(message: Omit<SendReceiptOptions, 'roomId'>): Promise<Replied<null>>;
}
export interface ToDeviceWriterHandler {
  send(message: Omit<SendToDeviceRequest, 'sender'>): Promise<Replied<null>>;
}
export interface PresenceHandler {
  /** `set_presence` of a /sync: written only when it changed or the last write is PRESENCE_SYNC_REFRESH_MS old. */
  setFromSync(message: { state: string }): Promise<null>;
  set(message: SetPresenceOptions): Promise<Replied<null>>;
}
export interface AccountDataWriterHandler {
  /** Stores account data of the actor's user (roomId '' for global). */
  set(message: { roomId: string; type: string; content: Record<string, unknown> }): Promise<Replied<null>>;
}
export interface DeviceListsWriterHandler {
  /** Publishes every queued device-list change (see recordDeviceListChanges) at its positions. */
  publish(message: Record<string, never>): Promise<Replied<null>>;
}
