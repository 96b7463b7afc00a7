import { describe, expect, it } from 'vitest';
import { createTransport, type TransportConfig } from './create-transport.ts';
import { InProcessHub } from './in-process-transport.ts';

describe('createTransport', () => {
  it('builds the in-process adapter with its options', async () => {
    const hub = new InProcessHub();
    const a = await createTransport({ kind: 'in-process', hub, maxPayloadBytes: 64 });
    const b = await createTransport({ kind: 'in-process', hub });
    expect(a.kind).toBe('in-process');
    expect(a.maxPayloadBytes).toBe(64);
    await b.serve('ping', () => new Uint8Array([1]));
    expect(await a.request('ping', new Uint8Array(0))).toEqual(new Uint8Array([1]));
    await Promise.all([a.close(), b.close()]);
  });

  it('names the bad kind', async () => {
    await expect(createTransport({ kind: 'kafka' } as unknown as TransportConfig)).rejects.toThrow(/unknown transport kind "kafka"/);
  });
});
