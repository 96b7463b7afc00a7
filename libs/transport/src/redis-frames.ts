// Binary frames the Redis adapter wraps around payloads. Redis pub/sub and lists carry opaque
// bytes, so the adapter adds the little it needs: a message id (for queue-group claims), and
// for request/reply a correlation id, the caller's reply channel and a deadline.

import { plainBytes } from './plain-bytes.ts';

/** Published message: 8-byte publisher id + 8-byte sequence, then the payload. */
const MESSAGE_HEADER = 16;

export function encodeMessage(publisherId: Buffer, sequence: bigint, payload: Uint8Array): Buffer {
  const frame = Buffer.allocUnsafe(MESSAGE_HEADER + payload.byteLength);
  publisherId.copy(frame, 0, 0, 8);
  frame.writeBigUInt64BE(sequence, 8);
  frame.set(payload, MESSAGE_HEADER);
  return frame;
}

/** The payload of a published message, or undefined if the frame is too short. */
export function messagePayload(frame: Buffer): Uint8Array | undefined {
  return frame.byteLength < MESSAGE_HEADER ? undefined : plainBytes(frame, MESSAGE_HEADER);
}

/** A published message's unique id (publisher id and sequence), for queue-group claims. */
export function messageId(frame: Buffer): string {
  return frame.toString('hex', 0, MESSAGE_HEADER);
}

export interface RequestFrame {
  readonly id: number;
  readonly replyTo: string;
  /** Epoch milliseconds after which the caller no longer waits (responders skip the request). */
  readonly deadline: number;
  readonly payload: Uint8Array;
}

/** Request: u32 id, f64 deadline, u8 reply-channel length, reply channel (UTF-8), payload. */
export function encodeRequest(request: RequestFrame): Buffer {
  const replyTo = Buffer.from(request.replyTo, 'utf8');
  if (replyTo.byteLength > 255) throw new RangeError(`reply channel ${request.replyTo} is longer than 255 bytes`);
  const head = 13 + replyTo.byteLength;
  const frame = Buffer.allocUnsafe(head + request.payload.byteLength);
  frame.writeUInt32BE(request.id, 0);
  frame.writeDoubleBE(request.deadline, 4);
  frame.writeUInt8(replyTo.byteLength, 12);
  replyTo.copy(frame, 13);
  frame.set(request.payload, head);
  return frame;
}

export function decodeRequest(frame: Buffer): RequestFrame | undefined {
  if (frame.byteLength < 13) return undefined;
  const length = frame.readUInt8(12);
  if (frame.byteLength < 13 + length) return undefined;
  return {
    id: frame.readUInt32BE(0),
    deadline: frame.readDoubleBE(4),
    replyTo: frame.toString('utf8', 13, 13 + length),
    payload: plainBytes(frame, 13 + length),
  };
}

export type ReplyFrame =
  | { readonly id: number; readonly ok: true; readonly payload: Uint8Array }
  | { readonly id: number; readonly ok: false; readonly failure: string };

/** Reply: u32 id, u8 status (0 ok, 1 failure), then the reply payload or the failure text. */
export function encodeReply(reply: ReplyFrame): Buffer {
  const body = reply.ok ? reply.payload : Buffer.from(reply.failure, 'utf8');
  const frame = Buffer.allocUnsafe(5 + body.byteLength);
  frame.writeUInt32BE(reply.id, 0);
  frame.writeUInt8(reply.ok ? 0 : 1, 4);
  frame.set(body, 5);
  return frame;
}

export function decodeReply(frame: Buffer): ReplyFrame | undefined {
  if (frame.byteLength < 5) return undefined;
  const id = frame.readUInt32BE(0);
  return frame.readUInt8(4) === 0
    ? { id, ok: true, payload: plainBytes(frame, 5) }
    : { id, ok: false, failure: frame.toString('utf8', 5) };
}
