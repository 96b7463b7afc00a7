import { InProcessHub, InProcessTransport, type Transport } from '@homeserver/transport';
import { afterEach, describe, expect, it } from 'vitest';
import { ActorSystem } from './actor-system.ts';
import { encodeRequest, decodeReply } from './envelope.ts';
import { ActorCrashedError, ActorUnreachableError, AskTimeoutError, MailboxOverloadError, NotHostedError, UnknownMethodError } from './errors.ts';
import { RendezvousPlacement, type Placement } from './placement.ts';
import { counterActor, sleep } from './test-actors.ts';
import { jsonCodec } from './codec.ts';

const counter = counterActor('remote-counter');
const placement = new RendezvousPlacement({ instances: { 'remote-counter': ['alpha', 'beta'] } });
/** Keys that placement puts on each instance. */
const keysOn = (instance: string) =>
  Array.from({ length: 200 }, (_, i) => `!room${i}:hs`).filter((key) => placement.instanceFor('remote-counter', key) === instance);
const onBeta = keysOn('beta');
const onAlpha = keysOn('alpha');

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startSystem(instance: string, hub: InProcessHub, options: { placement?: Placement; transport?: Transport } = {}) {
  const transport = options.transport ?? new InProcessTransport({ hub });
  const system = new ActorSystem({ instance, placement: options.placement ?? placement, transport }).host(counter);
  await system.start();
  cleanups.push(async () => {
    await system.stop();
    await transport.close();
  });
  return system;
}

describe('ActorSystem (remote calls over the in-process transport)', () => {
  it('routes each key to the instance placement names, from either side', async () => {
    const hub = new InProcessHub();
    const alpha = (await startSystem('alpha', hub)).client(counter);
    const beta = (await startSystem('beta', hub)).client(counter);
    expect(onBeta.length).toBeGreaterThan(50);
    expect(onAlpha.length).toBeGreaterThan(50);
    expect((await alpha.ask(onBeta[0]!, 'where', undefined)).value).toBe('beta');
    expect((await alpha.ask(onAlpha[0]!, 'where', undefined)).value).toBe('alpha');
    expect((await beta.ask(onAlpha[0]!, 'where', undefined)).value).toBe('alpha');
    // State lives with the one hosting actor, whoever asks.
    await alpha.ask(onBeta[1]!, 'add', 5);
    await beta.ask(onBeta[1]!, 'add', 5);
    expect((await alpha.ask(onBeta[1]!, 'get', undefined)).value).toBe(10);
  });

  it('keeps per-key arrival order across the wire', async () => {
    const hub = new InProcessHub();
    const alpha = (await startSystem('alpha', hub)).client(counter);
    await startSystem('beta', hub);
    const key = onBeta[2]!;
    const sums = await Promise.all(Array.from({ length: 100 }, () => alpha.ask(key, 'add', 1)));
    expect(sums.map((s) => s.value)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
  });

  it('carries stream positions, domain replies and named failures back to the caller', async () => {
    const hub = new InProcessHub();
    const alpha = (await startSystem('alpha', hub)).client(counter);
    await startSystem('beta', hub);
    const key = onBeta[3]!;
    expect(await alpha.ask(key, 'write', 2 ** 40)).toEqual({ value: { ok: true }, positions: [{ stream: 'events', writer: 'beta', position: 2 ** 40 }] });
    expect((await alpha.ask(key, 'withdraw', 2 ** 41)).value).toEqual({ ok: false, reason: 'insufficient_funds' });
    const crash = alpha.ask(key, 'crash', 'remote bug');
    await expect(crash).rejects.toBeInstanceOf(ActorCrashedError);
    await expect(crash).rejects.toThrow(`actor remote-counter/${JSON.stringify(key)} crashed handling "crash": Error: remote bug`);
    expect((await alpha.ask(key, 'get', undefined)).value).toBe(0); // re-created on beta
    await expect(alpha.ask(key, 'nope' as 'get', undefined)).rejects.toBeInstanceOf(UnknownMethodError);
    await expect(alpha.ask(key, 'unencodable', undefined)).rejects.toMatchObject({ code: 'bad_reply' });
  });

  it('times out remote asks and does not execute what expired in the remote queue', async () => {
    const hub = new InProcessHub();
    const alpha = (await startSystem('alpha', hub)).client(counter);
    await startSystem('beta', hub);
    const key = onBeta[4]!;
    await expect(alpha.ask(key, 'slow', 200, { timeoutMs: 40 })).rejects.toBeInstanceOf(AskTimeoutError);
    await expect(alpha.ask(key, 'record', 'late', { timeoutMs: 40 })).rejects.toBeInstanceOf(AskTimeoutError);
    await sleep(200);
    expect((await alpha.ask(key, 'seen', undefined)).value.seen).toEqual([]);
  });

  it('carries the deadline and trace id to the remote handler', async () => {
    const hub = new InProcessHub();
    const alpha = (await startSystem('alpha', hub)).client(counter);
    await startSystem('beta', hub);
    const deadlineMs = Date.now() + 4000;
    const { value } = await alpha.ask(onBeta[7]!, 'deadline', undefined, { deadlineMs, traceId: 'trace-7' });
    expect(value).toEqual({ deadlineMs, traceId: 'trace-7' });
  });

  it('refuses a request that arrives after its deadline', async () => {
    const hub = new InProcessHub();
    await startSystem('beta', hub);
    const raw = new InProcessTransport({ hub });
    cleanups.push(() => raw.close());
    const request = encodeRequest({ kind: 'remote-counter', key: onBeta[5]!, method: 'record', payload: jsonCodec.encode('x'), traceId: 't1', deadlineMs: Date.now() - 1, oneWay: false });
    const bytes = await raw.request('actor.beta', request);
    expect(() => decodeReply(bytes)).toThrow(AskTimeoutError);
    expect(() => decodeReply(bytes)).toThrow('arrived after its deadline; it was not executed');
  });

  it('refuses remote calls past the mailbox capacity, for asks and tells alike', async () => {
    const bounded = counterActor('remote-bounded', { mailboxCapacity: 1 });
    const hub = new InProcessHub();
    const boundedPlacement = new RendezvousPlacement({ instances: { 'remote-bounded': ['beta'] } });
    const [ta, tb] = [new InProcessTransport({ hub }), new InProcessTransport({ hub })];
    const alpha = new ActorSystem({ instance: 'alpha', placement: boundedPlacement, transport: ta });
    const beta = new ActorSystem({ instance: 'beta', placement: boundedPlacement, transport: tb }).host(bounded);
    await beta.start();
    cleanups.push(async () => {
      await beta.stop();
      await Promise.all([ta.close(), tb.close()]);
    });
    const client = alpha.client(bounded);
    const busy = client.ask('k', 'slow', 100);
    await sleep(20);
    await expect(client.ask('k', 'get', undefined)).rejects.toThrow(MailboxOverloadError);
    await expect(client.tell('k', 'get', undefined)).rejects.toThrow(MailboxOverloadError);
    await busy;
  });

  it('tell reaches the remote actor in order', async () => {
    const hub = new InProcessHub();
    const alpha = (await startSystem('alpha', hub)).client(counter);
    await startSystem('beta', hub);
    const key = onBeta[6]!;
    await alpha.tell(key, 'record', 'a');
    await alpha.tell(key, 'record', 'b');
    expect((await alpha.ask(key, 'seen', undefined)).value.seen).toEqual(['a', 'b']);
  });

  it('answers not_hosted when the two sides disagree on placement', async () => {
    const hub = new InProcessHub();
    const alpha = (await startSystem('alpha', hub)).client(counter);
    // beta believes every key belongs to alpha.
    await startSystem('beta', hub, { placement: new RendezvousPlacement({ instances: { 'remote-counter': ['alpha'] } }) });
    await expect(alpha.ask(onBeta[0]!, 'get', undefined)).rejects.toThrow(NotHostedError);
  });

  it('fails with ActorUnreachableError when the hosting instance is down or there is no transport', async () => {
    const hub = new InProcessHub();
    const alpha = (await startSystem('alpha', hub)).client(counter);
    await expect(alpha.ask(onBeta[0]!, 'get', undefined)).rejects.toThrow(ActorUnreachableError);
    const lonely = new ActorSystem({ instance: 'alpha', placement }).host(counter);
    await expect(lonely.client(counter).ask(onBeta[0]!, 'get', undefined)).rejects.toThrow('this instance has no transport configured');
  });
});
