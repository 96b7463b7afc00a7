// The protocol of the stream writer actors (role-stream-writers): their kinds, keys and
// messages. Typing and receipts are keyed by room, to-device by sender, presence by user. The
// process `stream_writers` names for a stream hosts its kind, whichever app it is; every other
// process reaches it by address through the typed client (stream-writer-client.ts). Each reply
// carries the stream position the write reached.
import type { Replied } from '@homeserver/actors';

export const TYPING_WRITER_KIND = 'typing_writer';
export const RECEIPTS_WRITER_KIND = 'receipts_writer';
export const TO_DEVICE_WRITER_KIND = 'to_device_writer';
export const PRESENCE_ACTOR_KIND = 'presence';

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
  /** `set_presence` of a /sync: written only when it changed or the last write is a minute old. */
  setFromSync(message: { state: string }): Promise<null>;
  set(message: SetPresenceOptions): Promise<Replied<null>>;
}
