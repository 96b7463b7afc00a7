// The one contract every transport adapter must meet. Each adapter's spec calls
// describeTransportContract with a way to make connected transports (and, for network
// adapters, to stop and restart the server); the same assertions then run against it.
// Not exported from index.ts: it imports vitest and belongs to tests only.
import { afterEach, describe, expect, it } from 'vitest';
import {
  InvalidSubjectError,
  NoRespondersError,
  PayloadTooLargeError,
  RequestFailedError,
  RequestTimeoutError,
  TransportClosedError,
} from './errors.ts';
import { MAX_REPLY_BYTES } from './defaults.ts';
import type { Transport, TransportEvent } from './transport.ts';

/** The server behind a network adapter, as the reconnect case needs it. */
export interface ContractServer {
  stop(): Promise<void>;
  /** Starts the server again on the same address. */
  restart(): Promise<void>;
}

export interface TransportContractSetup {
  /** A new transport on the same bus as every other transport this setup makes. */
  create(): Promise<Transport>;
  /**
   * The server to stop and restart in the reconnect case, or the reason that case cannot
   * apply to this adapter (then it is left out, not faked).
   */
  readonly server: ContractServer | { readonly notApplicable: string };
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const bytes = (text: string) => encoder.encode(text);
const text = (payload: Uint8Array) => decoder.decode(payload);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(5);
  }
}

export function describeTransportContract(name: string, setup: TransportContractSetup): void {
  describe(`transport contract: ${name}`, () => {
    const open: Transport[] = [];
    let counter = 0;
    // A fresh subject namespace per test, so a late message from one test never reaches another.
    const unique = (base: string) => `c${Date.now().toString(36)}x${++counter}.${base}`;
    const make = async () => {
      const transport = await setup.create();
      open.push(transport);
      return transport;
    };
    afterEach(async () => {
      await Promise.all(open.splice(0).map((transport) => transport.close()));
    });

    it('delivers each message to every subscriber of its subject, and to no other subject', async () => {
      const [publisher, first, second] = [await make(), await make(), await make()];
      const subject = unique('fanout');
      const got: string[] = [];
      await first.subscribe(subject, (m) => void got.push(`first:${text(m.payload)}:${m.subject}`));
      await second.subscribe(subject, (m) => void got.push(`second:${text(m.payload)}`));
      await second.subscribe(`${subject}x`, (m) => void got.push(`other:${text(m.payload)}`));
      await publisher.publish(subject, bytes('hello'));
      await waitFor(() => got.length >= 2, 'both subscribers');
      await sleep(50);
      expect(got.sort()).toEqual([`first:hello:${subject}`, 'second:hello']);
    });

    it('matches `.>` subscriptions against one or more further tokens only', async () => {
      const [publisher, subscriber] = [await make(), await make()];
      const base = unique('wild');
      const got: string[] = [];
      await subscriber.subscribe(`${base}.>`, (m) => void got.push(m.subject));
      for (const subject of [base, `${base}x.a`, `${base}.a`, `${base}.a.b`]) {
        await publisher.publish(subject, bytes('x'));
      }
      await waitFor(() => got.length >= 2, 'wildcard deliveries');
      await sleep(50);
      expect(got).toEqual([`${base}.a`, `${base}.a.b`]);
    });

    it('gives each message to exactly one member of a queue group, and to every plain subscriber', async () => {
      const [publisher, first, second] = [await make(), await make(), await make()];
      const subject = unique('queue');
      const grouped: string[] = [];
      const plain: string[] = [];
      await first.subscribe(subject, (m) => void grouped.push(text(m.payload)), { queue: 'workers' });
      await second.subscribe(subject, (m) => void grouped.push(text(m.payload)), { queue: 'workers' });
      await second.subscribe(subject, (m) => void grouped.push(text(m.payload)), { queue: 'workers' });
      await first.subscribe(subject, (m) => void plain.push(text(m.payload)));
      const sent = Array.from({ length: 30 }, (_, i) => String(i));
      for (const message of sent) await publisher.publish(subject, bytes(message));
      await waitFor(() => grouped.length >= 30 && plain.length >= 30, 'queue and plain deliveries');
      await sleep(100);
      expect([...grouped].sort()).toEqual([...sent].sort());
      expect(plain).toEqual(sent);
    });

    it('keeps publish order per subject (1,000 messages)', async () => {
      const [publisher, subscriber] = [await make(), await make()];
      const subject = unique('order');
      const got: number[] = [];
      await subscriber.subscribe(subject, (m) => void got.push(new DataView(m.payload.buffer, m.payload.byteOffset).getUint32(0)));
      const sends: Promise<void>[] = [];
      for (let i = 0; i < 1000; i++) {
        const payload = new Uint8Array(4);
        new DataView(payload.buffer).setUint32(0, i);
        sends.push(publisher.publish(subject, payload));
      }
      await Promise.all(sends);
      await waitFor(() => got.length >= 1000, '1,000 messages', 15_000);
      expect(got).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    });

    it('runs one subscription\'s async handler one message at a time, in order', async () => {
      const [publisher, subscriber] = [await make(), await make()];
      const subject = unique('serial');
      const got: string[] = [];
      let active = 0;
      let maxActive = 0;
      await subscriber.subscribe(subject, async (m) => {
        active++;
        maxActive = Math.max(maxActive, active);
        await sleep(Number(text(m.payload)) % 3);
        got.push(text(m.payload));
        active--;
      });
      for (let i = 0; i < 20; i++) await publisher.publish(subject, bytes(String(i)));
      await waitFor(() => got.length >= 20, 'serial deliveries');
      expect(got).toEqual(Array.from({ length: 20 }, (_, i) => String(i)));
      expect(maxActive).toBe(1);
    });

    it('keeps delivering when a handler throws', async () => {
      const [publisher, subscriber] = [await make(), await make()];
      const subject = unique('throws');
      const got: string[] = [];
      await subscriber.subscribe(subject, (m) => {
        if (text(m.payload) === 'bad') throw new Error('handler failure on purpose');
      });
      await subscriber.subscribe(subject, async (m) => {
        if (text(m.payload) === 'bad') throw new Error('async handler failure on purpose');
        got.push(text(m.payload));
      });
      await subscriber.subscribe(subject, (m) => void got.push(`other:${text(m.payload)}`));
      for (const message of ['a', 'bad', 'b']) await publisher.publish(subject, bytes(message));
      await waitFor(() => got.length >= 5, 'deliveries around the failures');
      expect(got.filter((m) => !m.startsWith('other:'))).toEqual(['a', 'b']);
      expect(got.filter((m) => m.startsWith('other:'))).toEqual(['other:a', 'other:bad', 'other:b']);
    });

    it('stops delivery after unsubscribe', async () => {
      const [publisher, subscriber] = [await make(), await make()];
      const subject = unique('unsub');
      const got: string[] = [];
      const subscription = await subscriber.subscribe(subject, (m) => void got.push(text(m.payload)));
      await publisher.publish(subject, bytes('before'));
      await waitFor(() => got.length >= 1, 'the first message');
      await subscription.unsubscribe();
      await publisher.publish(subject, bytes('after'));
      await sleep(100);
      expect(got).toEqual(['before']);
    });

    it('answers a request through exactly one of several servers', async () => {
      const [client, first, second] = [await make(), await make(), await make()];
      const subject = unique('rpc');
      const calls: string[] = [];
      await first.serve(subject, (payload, served) => {
        calls.push(`first:${served}`);
        return bytes(`one:${text(payload)}`);
      });
      await second.serve(subject, async (payload) => {
        calls.push('second');
        return bytes(`two:${text(payload)}`);
      });
      const replies = await Promise.all(Array.from({ length: 20 }, (_, i) => client.request(subject, bytes(String(i)))));
      expect(replies.every((reply) => reply.constructor === Uint8Array)).toBe(true);
      expect(replies.map((reply) => text(reply).split(':')[1])).toEqual(Array.from({ length: 20 }, (_, i) => String(i)));
      expect(calls).toHaveLength(20);
      expect(calls.filter((call) => call === `first:${subject}`).length + calls.filter((call) => call === 'second').length).toBe(20);
    });

    it('fails fast with NoRespondersError when nobody serves the subject', async () => {
      const [client, server] = [await make(), await make()];
      const subject = unique('nobody');
      const started = Date.now();
      await expect(client.request(subject, bytes('x'), { timeoutMs: 5000 })).rejects.toBeInstanceOf(NoRespondersError);
      expect(Date.now() - started).toBeLessThan(1000);
      const serving = await server.serve(subject, () => bytes('ok'));
      expect(text(await client.request(subject, bytes('x')))).toBe('ok');
      await serving.unsubscribe();
      await expect(client.request(subject, bytes('x'), { timeoutMs: 5000 })).rejects.toBeInstanceOf(NoRespondersError);
    });

    it('fails with RequestTimeoutError when the reply does not come in time', async () => {
      const [client, server] = [await make(), await make()];
      const subject = unique('slow');
      await server.serve(subject, async () => {
        await sleep(400);
        return bytes('late');
      });
      const started = Date.now();
      const error = await client.request(subject, bytes('x'), { timeoutMs: 100 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RequestTimeoutError);
      expect((error as RequestTimeoutError).timeoutMs).toBe(100);
      expect(Date.now() - started).toBeLessThan(350);
      await sleep(400); // let the late reply arrive and be dropped before the transports close
    });

    it('fails a request whose time runs out before it is even sent at its caller only, not as an unhandled rejection', async () => {
      // On a loaded box sending can take longer than a liveness probe's whole time: the timeout
      // must reach the caller, not crash the process as a rejection nobody was waiting on yet.
      const [client, server] = [await make(), await make()];
      const subject = unique('instant');
      await server.serve(subject, async () => {
        await sleep(50);
        return bytes('late');
      });
      const unhandled: unknown[] = [];
      const onUnhandled = (reason: unknown) => void unhandled.push(reason);
      process.on('unhandledRejection', onUnhandled);
      try {
        const errors = await Promise.all(Array.from({ length: 20 }, () => client.request(subject, bytes('x'), { timeoutMs: 1 }).catch((e: unknown) => e)));
        expect(errors.every((error) => error instanceof RequestTimeoutError)).toBe(true);
        await sleep(100); // the late replies arrive and are dropped; any unhandled rejection is reported by now
        expect(unhandled).toEqual([]);
      } finally {
        process.off('unhandledRejection', onUnhandled);
      }
    });

    it('turns a throwing request handler into RequestFailedError at the caller', async () => {
      const [client, server] = [await make(), await make()];
      const subject = unique('fails');
      await server.serve(subject, (payload) => {
        throw new RangeError(`cannot handle ${text(payload)}`);
      });
      const error = await client.request(subject, bytes('this'), { timeoutMs: 2000 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RequestFailedError);
      expect((error as Error).message).toContain('RangeError: cannot handle this');
    });

    it('refuses payloads over maxPayloadBytes before sending, and carries one of exactly that size', async () => {
      const [publisher, subscriber] = [await make(), await make()];
      const limit = publisher.maxPayloadBytes;
      expect(limit).toBeGreaterThan(0);
      const subject = unique('big');
      const got: Uint8Array[] = [];
      await subscriber.subscribe(subject, (m) => void got.push(m.payload));
      let served = 0;
      await subscriber.serve(subject, () => (served++, bytes('ok')));
      const tooLarge = new Uint8Array(limit + 1);
      const error = await publisher.publish(subject, tooLarge).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PayloadTooLargeError);
      expect(error).toMatchObject({ bytes: limit + 1, limit });
      await expect(publisher.request(subject, tooLarge)).rejects.toBeInstanceOf(PayloadTooLargeError);
      const largest = new Uint8Array(limit).fill(7);
      await publisher.publish(subject, largest);
      await waitFor(() => got.length >= 1, 'the largest allowed payload', 10_000);
      expect(got[0]!.constructor).toBe(Uint8Array); // not a Buffer or other subclass
      expect(got[0]!.byteLength).toBe(limit);
      expect(got[0]!.every((b) => b === 7)).toBe(true);
      expect(served).toBe(0); // publish and request are separate namespaces
    });

    it('carries a reply several times maxPayloadBytes whole, and refuses one over MAX_REPLY_BYTES', async () => {
      const [requester, server] = [await make(), await make()];
      const subject = unique('bigreply');
      const size = 3 * requester.maxPayloadBytes + 12_345;
      const big = Uint8Array.from({ length: size }, (_, i) => (i * 31 + 7) % 251);
      await server.serve(subject, (payload) => (text(payload) === 'too big' ? new Uint8Array(MAX_REPLY_BYTES + 1) : big));
      const reply = await requester.request(subject, bytes('big'), { timeoutMs: 20_000 });
      expect(reply.byteLength).toBe(size);
      expect(Buffer.from(reply).equals(Buffer.from(big))).toBe(true);
      // Small replies still come as they are, between big ones.
      const [again, tooBig] = await Promise.all([
        requester.request(subject, bytes('big'), { timeoutMs: 20_000 }),
        requester.request(subject, bytes('too big'), { timeoutMs: 20_000 }).catch((e: unknown) => e),
      ]);
      expect(again.byteLength).toBe(size);
      expect(tooBig).toBeInstanceOf(RequestFailedError);
    });

    it('rejects malformed subjects with InvalidSubjectError', async () => {
      const transport = await make();
      await expect(transport.publish('a..b', bytes('x'))).rejects.toBeInstanceOf(InvalidSubjectError);
      await expect(transport.publish('a.>', bytes('x'))).rejects.toBeInstanceOf(InvalidSubjectError);
      await expect(transport.subscribe('a.*', () => {})).rejects.toBeInstanceOf(InvalidSubjectError);
      await expect(transport.serve('a.>', () => bytes('x'))).rejects.toBeInstanceOf(InvalidSubjectError);
    });

    it('fails every operation with TransportClosedError after close()', async () => {
      const transport = await make();
      await transport.close();
      await transport.close(); // idempotent
      const subject = unique('closed');
      await expect(transport.publish(subject, bytes('x'))).rejects.toBeInstanceOf(TransportClosedError);
      await expect(transport.subscribe(subject, () => {})).rejects.toBeInstanceOf(TransportClosedError);
      await expect(transport.serve(subject, () => bytes('x'))).rejects.toBeInstanceOf(TransportClosedError);
      await expect(transport.request(subject, bytes('x'))).rejects.toBeInstanceOf(TransportClosedError);
    });

    const server = setup.server;
    if ('notApplicable' in server) {
      // No test registered here on purpose: see the adapter spec's reason (server.notApplicable).
      return;
    }
    it('reconnects after the server restarts, emitting disconnected then reconnected', async () => {
      const transport = await make();
      const events: TransportEvent[] = [];
      transport.on('disconnected', () => events.push('disconnected'));
      transport.on('reconnected', () => events.push('reconnected'));
      const subject = unique('restart');
      const got: string[] = [];
      await transport.subscribe(`${subject}.events`, (m) => void got.push(text(m.payload)));
      await transport.serve(`${subject}.rpc`, (payload) => bytes(`echo:${text(payload)}`));
      expect(text(await transport.request(`${subject}.rpc`, bytes('before')))).toBe('echo:before');

      await server.stop();
      await waitFor(() => events.includes('disconnected'), 'the disconnected event', 10_000);
      // Interest registered during the outage must take effect once the server is back.
      const lateGot: string[] = [];
      const late = transport.subscribe(`${subject}.late`, (m) => void lateGot.push(text(m.payload)));
      late.catch(() => {}); // asserted below; keeps an early rejection from going unhandled
      await server.restart();
      await waitFor(() => events.includes('reconnected'), 'the reconnected event', 20_000);
      expect(events).toEqual(['disconnected', 'reconnected']);

      expect(text(await transport.request(`${subject}.rpc`, bytes('after')))).toBe('echo:after');
      await transport.publish(`${subject}.events`, bytes('after'));
      await waitFor(() => got.includes('after'), 'a message published after the restart');
      await late;
      await transport.publish(`${subject}.late`, bytes('late'));
      await waitFor(() => lateGot.includes('late'), 'a message to a subscription made during the outage');
    }, 40_000);

    it('closes promptly while the server is down', async () => {
      const transport = await make();
      let down = false;
      transport.on('disconnected', () => (down = true));
      await server.stop();
      try {
        await waitFor(() => down, 'the disconnected event', 10_000);
        const started = Date.now();
        await transport.close();
        expect(Date.now() - started).toBeLessThan(1000);
        await expect(transport.publish(unique('x'), bytes('x'))).rejects.toBeInstanceOf(TransportClosedError);
      } finally {
        await server.restart();
      }
    }, 30_000);
  });
}
