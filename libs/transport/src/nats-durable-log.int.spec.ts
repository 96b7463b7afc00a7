import { startNatsServer, type TestServer } from '@homeserver/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LogEntry } from './durable-log.ts';
import { InvalidSubjectError, TransportClosedError } from './errors.ts';
import { connectNatsTransport, type NatsTransport } from './nats-transport.ts';

let server: TestServer;
const open: NatsTransport[] = [];
beforeAll(async () => {
  server = await startNatsServer({ jetstream: true });
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((transport) => transport.close()));
});
afterAll(async () => {
  await server?.stop();
});

async function connect(): Promise<NatsTransport> {
  const transport = await connectNatsTransport({ servers: server.url });
  open.push(transport);
  return transport;
}
const bytes = (text: string) => new TextEncoder().encode(text);
const text = (payload: Uint8Array) => new TextDecoder().decode(payload);
async function waitFor(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('NATS durable log (JetStream)', () => {
  it('keeps entries appended while nobody consumes, and delivers them in order', async () => {
    const log = await (await connect()).openDurableLog({ name: 'orders' });
    const sequences = [];
    for (const word of ['a', 'b', 'c']) sequences.push(await log.append(`push.${word}`, bytes(word)));
    expect(sequences).toEqual([...sequences].sort((x, y) => x - y));
    const got: LogEntry[] = [];
    await (await (await connect()).openDurableLog({ name: 'orders' })).consume('pusher', (entry) => void got.push(entry));
    await waitFor(() => got.length >= 3, 'three entries');
    expect(got.map((entry) => [entry.subject, text(entry.payload), entry.sequence])).toEqual([
      ['push.a', 'a', sequences[0]],
      ['push.b', 'b', sequences[1]],
      ['push.c', 'c', sequences[2]],
    ]);
  });

  it('resumes a durable consumer after the last acknowledged entry', async () => {
    const log = await (await connect()).openDurableLog({ name: 'resume' });
    await log.append('x', bytes('1'));
    const first: string[] = [];
    const subscription = await log.consume('worker', (entry) => void first.push(text(entry.payload)));
    await waitFor(() => first.length >= 1, 'the first entry');
    await subscription.unsubscribe();
    await log.append('x', bytes('2'));
    const second: string[] = [];
    await (await (await connect()).openDurableLog({ name: 'resume' })).consume('worker', (entry) => void second.push(text(entry.payload)));
    await waitFor(() => second.length >= 1, 'the entry appended while away');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(second).toEqual(['2']);
  });

  it('redelivers an entry whose handler threw', async () => {
    const log = await (await connect()).openDurableLog({ name: 'retry' });
    await log.append('job', bytes('flaky'));
    const attempts: boolean[] = [];
    await log.consume('worker', (entry) => {
      attempts.push(entry.redelivered);
      if (attempts.length === 1) throw new Error('first attempt fails on purpose');
    }, { retryDelayMs: 50 });
    await waitFor(() => attempts.length >= 2, 'the redelivery');
    expect(attempts.slice(0, 2)).toEqual([false, true]);
  });

  it('drops a duplicate append with the same message id', async () => {
    const log = await (await connect()).openDurableLog({ name: 'dedupe' });
    const first = await log.append('e', bytes('one'), { messageId: 'm-1' });
    const again = await log.append('e', bytes('one again'), { messageId: 'm-1' });
    expect(again).toBe(first);
    const got: string[] = [];
    await log.consume('reader', (entry) => void got.push(text(entry.payload)));
    await waitFor(() => got.length >= 1, 'the entry');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(got).toEqual(['one']);
  });

  it('says so when the server runs without JetStream', async () => {
    const plain = await startNatsServer();
    try {
      const transport = await connectNatsTransport({ servers: plain.url });
      await expect(transport.openDurableLog({ name: 'nojs' })).rejects.toThrow(/JetStream is not available/);
      await transport.close();
    } finally {
      await plain.stop();
    }
  });

  it('rejects bad names and use after close', async () => {
    const transport = await connect();
    await expect(transport.openDurableLog({ name: 'a.b' })).rejects.toBeInstanceOf(InvalidSubjectError);
    const log = await transport.openDurableLog({ name: 'closing' });
    await transport.close();
    await expect(log.append('x', bytes('x'))).rejects.toBeInstanceOf(TransportClosedError);
  });
});
