import { describe, expect, it } from 'vitest';
import { InProcessHub, InProcessTransport } from './in-process-transport.ts';
import { describeTransportContract } from './transport-contract.ts';

const hub = new InProcessHub();
describeTransportContract('in-process', {
  create: async () => new InProcessTransport({ hub }),
  server: { notApplicable: 'in-process delivery has no server or connection that could go away' },
});

describe('InProcessTransport', () => {
  it('keeps separate hubs apart', async () => {
    const a = new InProcessTransport();
    const b = new InProcessTransport();
    const got: string[] = [];
    await b.subscribe('x', (m) => void got.push(m.subject));
    await a.publish('x', new Uint8Array(1));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(got).toEqual([]);
  });

  it('never runs subscriber code inside publish()', async () => {
    const transport = new InProcessTransport();
    const got: string[] = [];
    await transport.subscribe('x', () => void got.push('delivered'));
    const publishing = transport.publish('x', new Uint8Array(1));
    got.push('published');
    await publishing;
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(got).toEqual(['published', 'delivered']);
  });

  it('copies payloads, so a publisher may reuse its buffer', async () => {
    const transport = new InProcessTransport();
    const got: number[] = [];
    await transport.subscribe('x', (m) => void got.push(m.payload[0]!));
    const buffer = new Uint8Array([1]);
    await transport.publish('x', buffer);
    buffer[0] = 2;
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(got).toEqual([1]);
  });

  it('honours a configured payload limit', () => {
    expect(new InProcessTransport({ maxPayloadBytes: 10 }).maxPayloadBytes).toBe(10);
    expect(new InProcessTransport().maxPayloadBytes).toBe(1024 * 1024);
  });
});
