import { afterEach, describe, expect, it } from 'vitest';
import { ActorSystem } from './actor-system.ts';
import {
  ActorCrashedError,
  ActorSystemStoppedError,
  AskTimeoutError,
  MailboxOverloadError,
  NotHostedError,
  UnknownMethodError,
} from './errors.ts';
import { defineActor } from './define-actor.ts';
import { counterActor, created, sleep } from './test-actors.ts';

const systems: ActorSystem[] = [];
function monolith(...definitions: ReturnType<typeof counterActor>[]) {
  const system = new ActorSystem({ instance: 'main' }).host(...(definitions.length ? definitions : [counterActor()]));
  systems.push(system);
  return system;
}
afterEach(async () => {
  await Promise.all(systems.splice(0).map((system) => system.stop()));
});

describe('ActorSystem (local calls)', () => {
  it('processes many concurrent asks to one key strictly one at a time, in arrival order', async () => {
    const counter = monolith().client(counterActor());
    const adds = Array.from({ length: 200 }, () => counter.ask('k', 'add', 1));
    const records = Array.from({ length: 200 }, (_, i) => counter.ask('order', 'record', `m${i}`));
    const sums = (await Promise.all(adds)).map((r) => r.value);
    // Every read-modify-write saw the previous one's result: no lost updates, replies in order.
    expect(sums).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    expect((await Promise.all(records)).map((r) => r.value)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    const { value } = await counter.ask('order', 'seen', undefined);
    expect(value.seen).toEqual(Array.from({ length: 200 }, (_, i) => `m${i}`));
    expect((await counter.ask('k', 'seen', undefined)).value.maxInFlight).toBe(1);
  });

  it('runs different keys concurrently', async () => {
    const counter = monolith().client(counterActor());
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const blocked = counter.ask('busy', 'wait', gate);
    // Another key answers while "busy" is stuck in its handler.
    await expect(counter.ask('free', 'get', undefined)).resolves.toMatchObject({ value: 0 });
    const started = Date.now();
    await Promise.all(Array.from({ length: 10 }, (_, i) => counter.ask(`k${i}`, 'slow', 50)));
    expect(Date.now() - started).toBeLessThan(300); // serial would take 500 ms
    release();
    await expect(blocked).resolves.toMatchObject({ value: 'released' });
  });

  it('supervision: a throw fails that call only; the next call gets a fresh actor; other keys keep their state', async () => {
    const definition = counterActor('supervised');
    const counter = monolith(definition).client(definition);
    await counter.ask('a', 'add', 5);
    await counter.ask('b', 'add', 7);
    const before = created.get('supervised/a');
    // Queued behind the crash: still processed, by the re-created actor (state reset to 0).
    const [first, crash, after] = await Promise.allSettled([
      counter.ask('a', 'add', 1),
      counter.ask('a', 'crash', 'disk on fire'),
      counter.ask('a', 'add', 2),
    ]);
    expect(first).toMatchObject({ status: 'fulfilled', value: { value: 6 } });
    expect(crash.status).toBe('rejected');
    const error = (crash as PromiseRejectedResult).reason as Error;
    expect(error).toBeInstanceOf(ActorCrashedError);
    expect(error.message).toBe('actor supervised/"a" crashed handling "crash": Error: disk on fire');
    expect(after).toMatchObject({ status: 'fulfilled', value: { value: 2 } });
    expect(created.get('supervised/a')).toBe(before! + 1);
    expect((await counter.ask('b', 'get', undefined)).value).toBe(7);
  });

  it('a create() that throws fails the call with ActorCrashedError and is retried next time', async () => {
    let attempts = 0;
    const flaky = defineActor('flaky', {
      create() {
        if (++attempts === 1) throw new Error('config missing');
        return { ping: () => 'pong' };
      },
    });
    const system = new ActorSystem({ instance: 'main' }).host(flaky);
    systems.push(system);
    const client = system.client(flaky);
    await expect(client.ask('x', 'ping', undefined)).rejects.toThrow('create() threw Error: config missing');
    await expect(client.ask('x', 'ping', undefined)).resolves.toMatchObject({ value: 'pong' });
  });

  it('domain failures are reply values, not errors', async () => {
    const counter = monolith().client(counterActor());
    await counter.ask('acct', 'add', 10);
    const { value } = await counter.ask('acct', 'withdraw', 50);
    expect(value).toEqual({ ok: false, reason: 'insufficient_funds' });
    expect((await counter.ask('acct', 'withdraw', 4)).value).toEqual({ ok: true, balance: 6 });
  });

  it('unknown methods fail with UnknownMethodError without resetting the actor', async () => {
    const system = monolith();
    const counter = system.client(counterActor());
    await counter.ask('k', 'add', 3);
    await expect(system.ask({ kind: 'counter', key: 'k' }, 'nope', 1)).rejects.toThrow(UnknownMethodError);
    await expect(system.ask({ kind: 'counter', key: 'k' }, 'toString', 1)).rejects.toThrow('has no method "toString"');
    expect((await counter.ask('k', 'get', undefined)).value).toBe(3);
  });

  it('replies carry the stream positions of the write', async () => {
    const counter = monolith().client(counterActor());
    const { value, positions } = await counter.ask('room', 'write', 42);
    expect(value).toEqual({ ok: true });
    expect(positions).toEqual([{ stream: 'events', writer: 'main', position: 42 }]);
    expect((await counter.ask('room', 'get', undefined)).positions).toEqual([]);
  });

  it('an ask times out with AskTimeoutError; a message whose deadline passed while queued is not executed', async () => {
    const counter = monolith().client(counterActor());
    const started = Date.now();
    await expect(counter.ask('k', 'slow', 300, { timeoutMs: 50 })).rejects.toThrow(AskTimeoutError);
    expect(Date.now() - started).toBeLessThan(250);
    // Still busy with the slow message: this one expires in the queue.
    await expect(counter.ask('k', 'record', 'late', { timeoutMs: 30 })).rejects.toThrow('got no reply within 30 ms');
    await sleep(300);
    const { value } = await counter.ask('k', 'seen', undefined);
    expect(value.seen).toEqual([]);
  });

  it('hands the deadline to the handler; an inherited earlier deadline wins', async () => {
    const counter = monolith().client(counterActor());
    const now = Date.now();
    const own = (await counter.ask('k', 'deadline', undefined, { timeoutMs: 1000, traceId: 'req-1' })).value;
    expect(own.deadlineMs).toBeGreaterThanOrEqual(now + 1000);
    expect(own.deadlineMs).toBeLessThan(now + 1500);
    expect(own.traceId).toBe('req-1');
    const inherited = (await counter.ask('k', 'deadline', undefined, { timeoutMs: 60_000, deadlineMs: now + 2000 })).value;
    expect(inherited.deadlineMs).toBe(now + 2000);
    // An actor asking another passes its own call along: deadline and trace id carry over.
    const outer = { method: 'outer', deadlineMs: now + 3000, traceId: 'req-2' };
    expect((await counter.ask('k', 'deadline', undefined, { within: outer })).value).toEqual({ deadlineMs: now + 3000, traceId: 'req-2' });
    await expect(counter.ask('k', 'get', undefined, { deadlineMs: now - 1 })).rejects.toThrow('was past its deadline before it was sent');
  });

  it('tell delivers in order with asks and reports nothing back', async () => {
    const counter = monolith().client(counterActor());
    await counter.tell('k', 'add', 3);
    await counter.tell('k', 'crash', 'ignored by the teller');
    await counter.tell('k', 'add', 4);
    expect((await counter.ask('k', 'get', undefined)).value).toBe(4);
  });

  it('refuses messages past the mailbox capacity and exposes depth in metrics', async () => {
    const definition = counterActor('bounded', { mailboxCapacity: 3 });
    const system = monolith(definition);
    const client = system.client(definition);
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const accepted = [client.ask('k', 'wait', gate), client.ask('k', 'get', undefined), client.ask('k', 'get', undefined)];
    await client.ask('other', 'get', undefined);
    expect(system.metrics()).toEqual([{ kind: 'bounded', actors: 2, queued: 3, maxDepth: 3 }]);
    await expect(client.ask('k', 'get', undefined)).rejects.toThrow(MailboxOverloadError);
    await expect(client.tell('k', 'get', undefined)).rejects.toThrow(MailboxOverloadError);
    release();
    await Promise.all(accepted);
    expect(system.metrics()).toEqual([{ kind: 'bounded', actors: 2, queued: 0, maxDepth: 0 }]);
  });

  it('passivates idle actors and re-creates them on demand', async () => {
    const definition = counterActor('sleepy', { passivateAfterMs: 30 });
    const system = monolith(definition);
    const client = system.client(definition);
    await client.ask('k', 'add', 9);
    expect(system.metrics()[0]?.actors).toBe(1);
    await sleep(120);
    expect(system.metrics()[0]?.actors).toBe(0);
    expect((await client.ask('k', 'get', undefined)).value).toBe(0);
    expect(created.get('sleepy/k')).toBe(2);
  });

  it('refuses kinds it does not host', async () => {
    const system = monolith();
    await expect(system.ask({ kind: 'pusher', key: '@u:hs' }, 'push', {})).rejects.toThrow(NotHostedError);
  });

  it('stop() drains queued messages, then refuses new ones', async () => {
    const system = new ActorSystem({ instance: 'main' }).host(counterActor());
    const counter = system.client(counterActor());
    const queued = [counter.ask('k', 'slow', 30), counter.ask('k', 'add', 1)];
    await system.stop();
    await expect(Promise.all(queued)).resolves.toHaveLength(2);
    await expect(counter.ask('k', 'get', undefined)).rejects.toThrow(ActorSystemStoppedError);
  });

  it('types the client from the handler object', async () => {
    const counter = monolith().client(counterActor());
    const reply = await counter.ask('k', 'add', 2);
    const sum: number = reply.value;
    expect(sum).toBe(2);
    // @ts-expect-error add takes a number
    await counter.ask('k', 'add', 'two').catch(() => {});
    // @ts-expect-error no such method
    await counter.ask('k', 'nope', 1).catch(() => {});
  });
});
