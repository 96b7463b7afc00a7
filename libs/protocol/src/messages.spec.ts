import { describe, expect, it } from 'vitest';
import { ActorReply, ActorRequest, StreamAdvance } from './index.ts';

describe('protocol messages', () => {
  it('round-trips an actor request', () => {
    const bytes = ActorRequest.encode({ kind: 'room', key: '!a:b', method: 'persist', payload: new Uint8Array([1, 2]), traceId: 't' }).finish();
    const decoded = ActorRequest.decode(bytes);
    expect(decoded.kind).toBe('room');
    expect(decoded.key).toBe('!a:b');
    expect([...decoded.payload]).toEqual([1, 2]);
  });

  it('round-trips a reply carrying positions and a failure', () => {
    const bytes = ActorReply.encode({ failure: { code: 'timeout', message: 'x' }, positions: [{ stream: 'events', writer: 'w1', position: 2 ** 40 }] }).finish();
    const decoded = ActorReply.decode(bytes);
    expect(decoded.result).toBe('failure');
    expect(decoded.failure?.code).toBe('timeout');
    expect(Number(decoded.positions[0]?.position)).toBe(2 ** 40);
  });

  it('round-trips a stream advance with inline rows', () => {
    const bytes = StreamAdvance.encode({ stream: 'events', writer: 'p1', prevPosition: 4, position: 6, rows: [{ position: 5, data: new TextEncoder().encode('{}') }] }).finish();
    const decoded = StreamAdvance.decode(bytes);
    expect(Number(decoded.prevPosition)).toBe(4);
    expect(decoded.rows).toHaveLength(1);
  });
});
