import { describe, expect, it } from 'vitest';
import { authenticateTransport, ReplyRejectedError, RequestRejectedError, type RejectReason } from './authenticated-transport.ts';
import { InProcessHub, InProcessTransport } from './in-process-transport.ts';
import { sealFrame, deriveMacKey } from './mac-frame.ts';
import { describeTransportContract } from './transport-contract.ts';
import type { Transport } from './transport.ts';

const contractHub = new InProcessHub();
describeTransportContract('authenticated over in-process', {
  create: async () => authenticateTransport(new InProcessTransport({ hub: contractHub }), { secret: 's3cret' }),
  server: { notApplicable: 'in-process delivery has no server or connection that could go away' },
});

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (payload: Uint8Array) => new TextDecoder().decode(payload);
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

function setup(options: { clock?: () => number } = {}) {
  const hub = new InProcessHub();
  const rejected: Array<{ reason: RejectReason; subject: string }> = [];
  const raw = new InProcessTransport({ hub });
  const trusted = authenticateTransport(new InProcessTransport({ hub }), {
    secret: 'right',
    onRejected: (reason, subject) => rejected.push({ reason, subject }),
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const peer = authenticateTransport(new InProcessTransport({ hub }), { secret: 'right' });
  return { raw, trusted, peer, rejected, hub };
}

async function capture(raw: Transport, subject: string): Promise<Uint8Array[]> {
  const frames: Uint8Array[] = [];
  await raw.subscribe(subject, (m) => void frames.push(m.payload));
  return frames;
}

describe('authenticateTransport', () => {
  it('drops messages without a MAC, with a wrong MAC, replayed, or moved to another subject, counting each', async () => {
    const { raw, trusted, peer, rejected } = setup();
    const got: string[] = [];
    await trusted.subscribe('repl.>', (m) => void got.push(`${m.subject}:${text(m.payload)}`));
    const frames = await capture(raw, 'repl.events');
    await peer.publish('repl.events', bytes('genuine'));
    await settle();
    await raw.publish('repl.events', bytes('plain'));
    await raw.publish('repl.events', sealFrame(deriveMacKey('wrong'), 'message', 'repl.events', bytes('forged'), { nowMs: Date.now() }));
    await raw.publish('repl.events', frames[0]!); // replay
    await raw.publish('repl.typing', frames[0]!); // moved
    await settle();
    expect(got).toEqual(['repl.events:genuine']);
    expect(rejected.map((r) => r.reason)).toEqual(['no_mac', 'bad_mac', 'replayed', 'bad_mac']);
  });

  it('refuses frames outside the timestamp window', async () => {
    let now = 1_000_000;
    const { raw, trusted, rejected } = setup({ clock: () => now });
    const got: string[] = [];
    await trusted.subscribe('x', (m) => void got.push(text(m.payload)));
    await raw.publish('x', sealFrame(deriveMacKey('right'), 'message', 'x', bytes('old'), { nowMs: now - 31_000 }));
    await raw.publish('x', sealFrame(deriveMacKey('right'), 'message', 'x', bytes('fine'), { nowMs: now - 29_000 }));
    await settle();
    now += 1;
    expect(got).toEqual(['fine']);
    expect(rejected.map((r) => r.reason)).toEqual(['stale']);
  });

  it('delivers one frame to two subscriptions of one process', async () => {
    const { trusted, peer, rejected } = setup();
    const got: string[] = [];
    await trusted.subscribe('a.b', (m) => void got.push(`exact:${text(m.payload)}`));
    await trusted.subscribe('a.>', (m) => void got.push(`wild:${text(m.payload)}`));
    await peer.publish('a.b', bytes('1'));
    await settle();
    expect(got.sort()).toEqual(['exact:1', 'wild:1']);
    expect(rejected).toEqual([]);
  });

  it('executes no unauthenticated or replayed request, and tells the caller why', async () => {
    const { raw, trusted, peer, rejected } = setup();
    const handled: string[] = [];
    await trusted.serve('actor.p1', (payload) => (handled.push(text(payload)), bytes(`done ${text(payload)}`)));
    expect(text(await peer.request('actor.p1', bytes('real')))).toBe('done real');
    const error = await raw.request('actor.p1', bytes('forged')).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/refused: no_mac/);
    // Capture a genuine request frame and send it again.
    const hub = new InProcessHub();
    const tap = new InProcessTransport({ hub });
    const frames: Uint8Array[] = [];
    await tap.serve('actor.p1', (payload) => (frames.push(payload), new Uint8Array(0)));
    await authenticateTransport(new InProcessTransport({ hub }), { secret: 'right' }).request('actor.p1', bytes('once')).catch(() => {});
    // Its first delivery to the real server is genuine; the second is a replay.
    await raw.request('actor.p1', frames[0]!);
    const replayed = await raw.request('actor.p1', frames[0]!).catch((e: unknown) => e);
    expect((replayed as Error).message).toMatch(/refused: replayed/);
    expect(handled).toEqual(['real', 'once']);
    expect(rejected.map((r) => r.reason)).toEqual(['no_mac', 'replayed']);
    expect(RequestRejectedError.name).toBe('RequestRejectedError');
  });

  it('refuses a reply that is not sealed for its request', async () => {
    const { raw, trusted, rejected } = setup();
    await raw.serve('svc', () => bytes('unsealed'));
    await expect(trusted.request('svc', bytes('q'))).rejects.toBeInstanceOf(ReplyRejectedError);
    await raw.serve('svc2', () => sealFrame(deriveMacKey('right'), 'reply', 'svc2', bytes('for another request'), { nowMs: Date.now(), bound: new Uint8Array(16) }));
    await expect(trusted.request('svc2', bytes('q'))).rejects.toBeInstanceOf(ReplyRejectedError);
    expect(rejected.map((r) => r.reason)).toEqual(['no_mac', 'bad_mac']);
  });
});
