import { InProcessHub, InProcessTransport, type Transport, type TransportEvent } from '@homeserver/transport';
import { afterEach, describe, expect, it } from 'vitest';
import { ActorSystem } from './actor-system.ts';
import { ActorUnreachableError } from './errors.ts';
import { RendezvousPlacement } from './placement.ts';
import { counterActor } from './test-actors.ts';

const counter = counterActor('probed-counter');
const placement = new RendezvousPlacement({ instances: { 'probed-counter': ['beta'] } });
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** An in-process transport whose connection events the test fires by hand. */
class SwitchableTransport extends InProcessTransport {
  #listeners = new Map<TransportEvent, Array<() => void>>();
  override on(event: TransportEvent, listener: () => void): () => void {
    this.#listeners.set(event, [...(this.#listeners.get(event) ?? []), listener]);
    return () => {};
  }
  fire(event: TransportEvent): void {
    for (const listener of this.#listeners.get(event) ?? []) listener();
  }
}

async function system(instance: string, transport: Transport, unreachableAfterMs = 200) {
  const actors = new ActorSystem({ instance, placement, transport, unreachableAfterMs }).host(counter);
  await actors.start();
  cleanups.push(async () => {
    await actors.stop();
    await transport.close();
  });
  return actors.client(counter);
}

describe('ActorSystem liveness probing', () => {
  it('fails an ask to a hung instance with ActorUnreachableError long before its timeout', async () => {
    const hub = new InProcessHub();
    const alpha = await system('alpha', new InProcessTransport({ hub }));
    // "beta" takes requests and never answers anything, probes included: a frozen process.
    const hung = new InProcessTransport({ hub });
    await hung.serve('actor.beta', () => new Promise<Uint8Array>(() => {}));
    cleanups.push(() => hung.close());
    const started = Date.now();
    const error = await alpha.ask('k', 'get', undefined, { timeoutMs: 30_000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ActorUnreachableError);
    expect((error as Error).message).toMatch(/did not answer a liveness probe/);
    expect((error as { temporarilyUnavailable?: boolean }).temporarilyUnavailable).toBe(true);
    console.log(`hung instance noticed after ${Date.now() - started} ms (unreachableAfterMs 200, ask timeout 30000)`);
  });

  it('keeps waiting for a busy instance that answers its probes', async () => {
    const hub = new InProcessHub();
    const alpha = await system('alpha', new InProcessTransport({ hub }));
    await system('beta', new InProcessTransport({ hub }));
    expect((await alpha.ask('k', 'slow', 800, { timeoutMs: 10_000 })).value).toBe('slow done');
  });

  it('fails remote asks at once while the transport is disconnected, and works again after it reconnects', async () => {
    const hub = new InProcessHub();
    const transport = new SwitchableTransport({ hub });
    const alpha = await system('alpha', transport);
    await system('beta', new InProcessTransport({ hub }));
    transport.fire('disconnected');
    await expect(alpha.ask('k', 'get', undefined, { timeoutMs: 30_000 })).rejects.toThrow(/the transport is disconnected/);
    transport.fire('reconnected');
    expect((await alpha.ask('k', 'add', 2)).value).toBe(2);
  });
});
