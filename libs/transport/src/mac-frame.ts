// The authenticated frame every replication message travels in when a worker cluster has a
// `worker_replication_secret`: a header (version, kind, timestamp, nonce), an HMAC-SHA256 over
// the header, the subject, the payload and (for replies) the request's nonce, then the payload.
// Binding the subject stops a frame being moved to another subject; binding the request nonce
// stops a reply being answered to another request; the timestamp and nonce stop replays.
import { createHmac, createSecretKey, randomBytes, timingSafeEqual, type KeyObject } from 'node:crypto';

export const FRAME_VERSION = 1;
export const HEADER_BYTES = 1 + 1 + 8 + 16;
export const MAC_BYTES = 32;
export const FRAME_OVERHEAD = HEADER_BYTES + MAC_BYTES;

export type FrameKind = 'message' | 'request' | 'reply' | 'failure';
const KIND_CODES: Record<FrameKind, number> = { message: 1, request: 2, reply: 3, failure: 4 };
const KINDS = Object.fromEntries(Object.entries(KIND_CODES).map(([kind, code]) => [code, kind])) as Record<number, FrameKind>;

export interface OpenedFrame {
  readonly kind: FrameKind;
  readonly timestampMs: number;
  /** Hex of the 16 nonce bytes: the replay guard's key, and what a reply binds to. */
  readonly nonce: string;
  readonly nonceBytes: Uint8Array;
  readonly payload: Uint8Array;
}

/** Why a frame was refused; the label of replication_messages_rejected_total. */
export type RejectReason = 'no_mac' | 'bad_mac' | 'stale' | 'replayed' | 'wrong_kind';

/**
 * The key is derived, so the secret can serve other uses (Synapse's HTTP replication) without
 * reuse. A KeyObject, because HMAC over one is several times faster than over raw key bytes.
 */
export function deriveMacKey(secret: string): KeyObject {
  return createSecretKey(createHmac('sha256', secret).update('homeserver replication frame v1').digest());
}

const encoder = new TextEncoder();

function mac(key: KeyObject, header: Uint8Array, subject: string, bound: Uint8Array | undefined, payload: Uint8Array): Buffer {
  const hmac = createHmac('sha256', key).update(header);
  const subjectBytes = encoder.encode(subject);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(subjectBytes.byteLength);
  hmac.update(length).update(subjectBytes);
  hmac.update(bound ?? new Uint8Array(0));
  return hmac.update(payload).digest();
}

export function sealFrame(key: KeyObject, kind: FrameKind, subject: string, payload: Uint8Array, options: { nowMs: number; bound?: Uint8Array }): Uint8Array {
  const frame = Buffer.allocUnsafe(FRAME_OVERHEAD + payload.byteLength);
  frame[0] = FRAME_VERSION;
  frame[1] = KIND_CODES[kind];
  frame.writeBigUInt64BE(BigInt(Math.max(0, Math.floor(options.nowMs))), 2);
  randomBytes(16).copy(frame, 10);
  const header = frame.subarray(0, HEADER_BYTES);
  mac(key, header, subject, options.bound, payload).copy(frame, HEADER_BYTES);
  frame.set(payload, FRAME_OVERHEAD);
  return new Uint8Array(frame.buffer, frame.byteOffset, frame.byteLength);
}

/** The nonce bytes of a sealed frame (what its reply is bound to). */
export function nonceOf(frame: Uint8Array): Uint8Array {
  return frame.subarray(10, HEADER_BYTES);
}

/** Checks the MAC; returns the frame or why it is refused (timestamps are the caller's business). */
export function openFrame(key: KeyObject, subject: string, bytes: Uint8Array, bound?: Uint8Array): OpenedFrame | RejectReason {
  if (bytes.byteLength < FRAME_OVERHEAD || bytes[0] !== FRAME_VERSION || KINDS[bytes[1]!] === undefined) return 'no_mac';
  const frame = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const header = frame.subarray(0, HEADER_BYTES);
  const payload = frame.subarray(FRAME_OVERHEAD);
  const expected = mac(key, header, subject, bound, payload);
  if (!timingSafeEqual(expected, frame.subarray(HEADER_BYTES, FRAME_OVERHEAD))) return 'bad_mac';
  const nonceBytes = new Uint8Array(nonceOf(frame));
  return {
    kind: KINDS[frame[1]!]!,
    timestampMs: Number(frame.readBigUInt64BE(2)),
    nonce: Buffer.from(nonceBytes).toString('hex'),
    nonceBytes,
    payload: new Uint8Array(payload),
  };
}
