import { describe, expect, it } from 'vitest';
import { decodeReply, decodeRequest, encodeMessage, encodeReply, encodeRequest, messageId, messagePayload } from './redis-frames.ts';

describe('Redis frames', () => {
  it('round-trip a published message with a unique id', () => {
    const id = Buffer.from('0123456789abcdef', 'hex');
    const first = encodeMessage(id, 1n, new Uint8Array([1, 2]));
    const second = encodeMessage(id, 2n, new Uint8Array([1, 2]));
    expect(messagePayload(first)).toEqual(new Uint8Array([1, 2]));
    expect(messagePayload(first)!.constructor).toBe(Uint8Array);
    expect(messageId(first)).not.toBe(messageId(second));
  });

  it('round-trip a request', () => {
    const request = { id: 4_000_000_000, replyTo: 'hs.reply.ab', deadline: 1_700_000_000_123.5, payload: new Uint8Array([9]) };
    expect(decodeRequest(encodeRequest(request))).toEqual(request);
  });

  it('round-trip replies and failures', () => {
    expect(decodeReply(encodeReply({ id: 7, ok: true, payload: new Uint8Array([3]) }))).toEqual({ id: 7, ok: true, payload: new Uint8Array([3]) });
    expect(decodeReply(encodeReply({ id: 7, ok: false, failure: 'Error: ü' }))).toEqual({ id: 7, ok: false, failure: 'Error: ü' });
  });

  it('reject truncated frames', () => {
    expect(messagePayload(Buffer.alloc(3))).toBeUndefined();
    expect(decodeRequest(Buffer.from([0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 200]))).toBeUndefined();
    expect(decodeReply(Buffer.alloc(2))).toBeUndefined();
  });
});
