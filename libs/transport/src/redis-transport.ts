// The Redis adapter (node-redis v6). Pub/sub maps onto Redis channels `<prefix>.msg.<subject>`
// (PSUBSCRIBE for `.>`); a queue group's members all receive a message and claim it with
// SET NX, so exactly one handles it. Requests use one Redis list per subject: each server
// BLPOPs it on its own blocking connection, so exactly one server takes each request. Servers
// also hold a presence subscription on `<prefix>.srv.<subject>`; the caller's Lua script counts
// those subscribers (PUBSUB NUMSUB, the same count PUBLISH would return) and, if there are
// any, pushes the request atomically: zero means NoRespondersError at once, and presence needs
// no heartbeat because Redis drops a dead connection's subscriptions. Replies come back on a
// per-transport channel, matched by correlation id. While disconnected, commands wait in
// node-redis's offline queue and run on reconnect; requests still time out on schedule.
// Limits: one Redis server (PUBSUB NUMSUB and the script's keys are not cluster-aware), and
// queue-group members each spend one SET per message to claim it.
import { createHash, randomBytes } from 'node:crypto';
import type * as Redis from '@redis/client';
import { DEFAULT_MAX_PAYLOAD_BYTES, DEFAULT_PREFIX, DEFAULT_TIMEOUT_MS, MAX_REPLY_BYTES, type NetworkTransportOptions } from './defaults.ts';
import {
  describeError,
  NoRespondersError,
  PayloadTooLargeError,
  RequestFailedError,
  RequestTimeoutError,
  TransportClosedError,
  TransportError,
} from './errors.ts';
import { decodeReply, decodeRequest, encodeMessage, encodeReply, encodeRequest, messageId, messagePayload } from './redis-frames.ts';
import { SerialDispatcher } from './serial-dispatcher.ts';
import { TransportEvents } from './transport-events.ts';
import { assertPattern, assertSubject, wildcardPrefix } from './subject.ts';
import { silentLogger, type TransportLogger } from './transport-logger.ts';
import type { MessageHandler, RequestHandler, RequestOptions, SubscribeOptions, Subscription, Transport, TransportEvent } from './transport.ts';

type RedisModule = typeof Redis;
// Bulk strings arrive as Buffers: payloads are bytes, not text.
const createBufferClient = (redis: RedisModule, options: Parameters<RedisModule['createClient']>[0]) =>
  redis.createClient(options).withTypeMapping({ [redis.RESP_TYPES.BLOB_STRING]: Buffer });
type Client = ReturnType<typeof createBufferClient>;

const REQUEST_SCRIPT = `
if redis.call('PUBSUB', 'NUMSUB', ARGV[1])[2] == 0 then return 0 end
redis.call('RPUSH', KEYS[1], ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1`;
const REQUEST_SCRIPT_SHA = createHash('sha1').update(REQUEST_SCRIPT).digest('hex');
/** Queued requests and queue-group claims expire, so a vanished server leaves no garbage. */
const LEFTOVER_TTL_MS = 60_000;

export interface RedisTransportOptions extends NetworkTransportOptions {
  /** Server URL, may carry credentials. Default: 'redis://127.0.0.1:6379'. */
  readonly url?: string;
  /** ACL user name and password (override the URL's). Default: none. */
  readonly username?: string;
  readonly password?: string;
  /** Largest accepted payload. Default: 1 MiB, NATS's default, so both adapters agree. */
  readonly maxPayloadBytes?: number;
}

/** The first connection attempt failed (later outages are retried forever instead). */
export class RedisConnectError extends TransportError {
  override name = 'RedisConnectError';
  constructor(url: string, cause: unknown) {
    super(`could not connect to Redis at ${url}: ${describeError(cause)}`, { cause });
  }
}

export async function connectRedisTransport(options: RedisTransportOptions = {}): Promise<RedisTransport> {
  // Loaded here, not at import: a process on NATS never pays for the Redis client's code (~25 MB).
  // The client alone, not the `redis` package, which also loads and registers the commands of the
  // bloom, JSON, search and time-series modules (~1.3 MiB of heap per process, none used here).
  const transport = new RedisTransport(await import('@redis/client'), options);
  await transport.connect();
  return transport;
}

interface PendingRequest {
  readonly subject: string;
  readonly resolve: (reply: Uint8Array) => void;
  readonly reject: (error: Error) => void;
  readonly timer: NodeJS.Timeout;
}

/** Made by connectRedisTransport. */
export class RedisTransport implements Transport {
  readonly kind = 'redis';
  readonly maxPayloadBytes: number;
  #redis: RedisModule;
  #options: RedisTransportOptions;
  #prefix: string;
  #logger: TransportLogger;
  #id = randomBytes(8);
  #replyChannel: string;
  #sequence = 0n;
  #nextRequestId = 0;
  #pending = new Map<number, PendingRequest>();
  #commands: Client;
  #subscriber: Client;
  #blocking = new Set<Client>();
  #closed = false;
  #connected = false;
  #state: 'up' | 'down' = 'up';
  #events: TransportEvents;

  constructor(redis: RedisModule, options: RedisTransportOptions = {}) {
    this.#redis = redis;
    this.#options = options;
    this.#prefix = options.prefix ?? DEFAULT_PREFIX;
    this.#logger = options.logger ?? silentLogger;
    this.#events = new TransportEvents(this.#logger);
    this.maxPayloadBytes = options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES;
    this.#replyChannel = `${this.#prefix}.reply.${this.#id.toString('hex')}`;
    this.#commands = this.#newClient(true);
    this.#subscriber = this.#newClient(true);
  }

  async connect(): Promise<void> {
    try {
      await Promise.all([this.#commands.connect(), this.#subscriber.connect()]);
      await this.#subscriber.subscribe(this.#replyChannel, (frame) => this.#onReply(frame), true);
    } catch (error) {
      this.#commands.destroy();
      this.#subscriber.destroy();
      throw new RedisConnectError(this.#options.url ?? 'redis://127.0.0.1:6379', error);
    }
    this.#connected = true;
  }

  async publish(subject: string, payload: Uint8Array): Promise<void> {
    this.#assertOpen('publish');
    assertSubject(subject);
    this.#assertSize(subject, payload);
    const frame = encodeMessage(this.#id, this.#sequence++, payload);
    await this.#commands.publish(`${this.#prefix}.msg.${subject}`, frame);
  }

  async subscribe(subject: string, handler: MessageHandler, options: SubscribeOptions = {}): Promise<Subscription> {
    this.#assertOpen('subscribe');
    assertPattern(subject);
    const strip = this.#prefix.length + 5; // "<prefix>.msg."
    const dispatcher = new SerialDispatcher(handler, {
      onError: (error, message) => this.#logger.warn({ err: error, subject: message.subject }, 'transport message handler threw'),
    });
    const queue = options.queue;
    const prefix = wildcardPrefix(subject);
    const listener = (frame: Buffer, channel: Buffer) => {
      const payload = messagePayload(frame);
      if (!payload) return;
      // Only a wildcard subscription needs to read the subject off the channel name.
      const delivered = { subject: prefix === undefined ? subject : channel.toString('utf8', strip), payload };
      if (queue === undefined) return dispatcher.push(delivered);
      // Claims resolve in the order they were sent, so each member still sees its share in order.
      const claim = `${this.#prefix}.claim.${subject}.${queue}.${messageId(frame)}`;
      this.#commands.set(claim, '1', { condition: 'NX', expiration: { type: 'PX', value: LEFTOVER_TTL_MS } }).then(
        (won) => won === 'OK' && dispatcher.push(delivered),
        (error: unknown) => this.#logger.warn({ err: error, subject: delivered.subject, queue }, 'queue-group claim failed'),
      );
    };
    const channel = prefix === undefined ? `${this.#prefix}.msg.${subject}` : `${this.#prefix}.msg.${escapeGlob(prefix)}*`;
    if (prefix === undefined) await this.#subscriber.subscribe(channel, listener, true);
    else await this.#subscriber.pSubscribe(channel, listener, true);
    return {
      unsubscribe: async () => {
        dispatcher.close();
        if (this.#closed) return;
        if (prefix === undefined) await this.#subscriber.unsubscribe(channel, listener, true);
        else await this.#subscriber.pUnsubscribe(channel, listener, true);
      },
    };
  }

  async serve(subject: string, handler: RequestHandler): Promise<Subscription> {
    this.#assertOpen('serve');
    assertSubject(subject);
    // BLPOP holds its connection for as long as it waits, hence one connection per served subject.
    const blocking = this.#newClient(false);
    await blocking.connect();
    this.#blocking.add(blocking);
    let serving = true;
    const active = () => serving && !this.#closed;
    const listKey = `${this.#prefix}.rpc.${subject}`;
    void (async () => {
      while (active()) {
        try {
          const item = await blocking.blPop(listKey, 0);
          if (item) void this.#answer(item.element, subject, handler);
        } catch (error) {
          if (!active()) break;
          // Lost connection: the client reconnects by itself; do not spin meanwhile.
          this.#logger.warn({ err: error, subject }, 'waiting for requests failed; retrying');
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
    })();
    // Presence last: no caller pushes a request before someone is waiting for it.
    const presence = `${this.#prefix}.srv.${subject}`;
    const present = () => {};
    await this.#subscriber.subscribe(presence, present);
    return {
      unsubscribe: async () => {
        if (!serving) return;
        serving = false;
        if (!this.#closed) await this.#subscriber.unsubscribe(presence, present);
        this.#blocking.delete(blocking);
        blocking.destroy();
      },
    };
  }

  async request(subject: string, payload: Uint8Array, options: RequestOptions = {}): Promise<Uint8Array> {
    this.#assertOpen('request');
    assertSubject(subject);
    this.#assertSize(subject, payload);
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const id = (this.#nextRequestId = (this.#nextRequestId + 1) >>> 0);
    const frame = encodeRequest({ id, replyTo: this.#replyChannel, deadline: Date.now() + timeoutMs, payload });
    const reply = new Promise<Uint8Array>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new RequestTimeoutError(subject, timeoutMs));
      }, timeoutMs);
      this.#pending.set(id, { subject, resolve, reject, timer });
    });
    // The caller sees `reply` only once the request is queued; a timeout that fires before then
    // (a loaded box, a slow Redis) would otherwise be an unhandled rejection and end the process.
    reply.catch(() => {});
    let queued: unknown;
    try {
      queued = await this.#runRequestScript(subject, frame);
    } catch (error) {
      this.#settle(id, error instanceof Error ? error : new TransportError(String(error)));
    }
    if (queued === 0) this.#settle(id, new NoRespondersError(subject));
    return reply;
  }

  on(event: TransportEvent, listener: () => void): () => void {
    return this.#events.on(event, listener);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const id of [...this.#pending.keys()]) this.#settle(id, new TransportClosedError('wait for a reply'));
    for (const client of this.#blocking) client.destroy();
    this.#blocking.clear();
    // close() lets queued commands finish; a client that is down would wait for the server.
    await Promise.all([this.#commands, this.#subscriber].map((client) => (client.isReady ? client.close() : client.destroy())));
  }

  async #runRequestScript(subject: string, frame: Buffer): Promise<unknown> {
    const args = ['1', `${this.#prefix}.rpc.${subject}`, `${this.#prefix}.srv.${subject}`, frame, String(LEFTOVER_TTL_MS)];
    try {
      return await this.#commands.sendCommand(['EVALSHA', REQUEST_SCRIPT_SHA, ...args]);
    } catch (error) {
      // The script cache is empty after a server restart: EVAL runs and caches it again.
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return this.#commands.sendCommand(['EVAL', REQUEST_SCRIPT, ...args]);
    }
  }

  async #answer(frame: Buffer, subject: string, handler: RequestHandler): Promise<void> {
    const request = decodeRequest(frame);
    if (!request) return this.#logger.warn({ subject }, 'dropped a malformed request frame');
    // The caller gave up already (the request waited in the list): answering would only do work twice.
    if (Date.now() > request.deadline) return;
    let reply: Buffer;
    try {
      const payload = await handler(request.payload, subject);
      if (payload.byteLength > MAX_REPLY_BYTES) throw new PayloadTooLargeError(subject, payload.byteLength, MAX_REPLY_BYTES);
      reply = encodeReply({ id: request.id, ok: true, payload });
    } catch (error) {
      reply = encodeReply({ id: request.id, ok: false, failure: describeError(error) });
    }
    if (this.#closed) return;
    await this.#commands.publish(request.replyTo, reply).catch((error: unknown) => {
      this.#logger.warn({ err: error, subject }, 'could not send a reply');
    });
  }

  #onReply(frame: Buffer): void {
    const reply = decodeReply(frame);
    const pending = reply && this.#pending.get(reply.id);
    if (!reply || !pending) return; // late reply to a request that already timed out
    if (reply.ok) this.#settle(reply.id, undefined, reply.payload);
    else this.#settle(reply.id, new RequestFailedError(pending.subject, reply.failure));
  }

  #settle(id: number, error: Error | undefined, reply?: Uint8Array): void {
    const pending = this.#pending.get(id);
    if (!pending) return;
    this.#pending.delete(id);
    clearTimeout(pending.timer);
    if (error) pending.reject(error);
    else pending.resolve(reply!);
  }

  #newClient(watched: boolean): Client {
    const { min, max } = this.#options.reconnectDelayMs ?? { min: 100, max: 5000 };
    const client = createBufferClient(this.#redis, {
      url: this.#options.url ?? 'redis://127.0.0.1:6379',
      ...(this.#options.username !== undefined ? { username: this.#options.username } : {}),
      ...(this.#options.password !== undefined ? { password: this.#options.password } : {}),
      name: this.#options.name ?? 'homeserver',
      socket: {
        // Retry forever once connected; the very first connection fails loudly instead.
        reconnectStrategy: (retries, cause) =>
          this.#connected ? Math.min(max, min * 2 ** retries) * (0.75 + Math.random() * 0.5) : cause,
      },
    });
    // node-redis throws unhandled 'error' events; connection state is tracked through the events below.
    client.on('error', (error: unknown) => {
      if (watched && !this.#closed && this.#connected) this.#logger.warn({ err: error }, 'Redis connection error');
    });
    if (watched) {
      for (const event of ['ready', 'error', 'end', 'reconnecting']) client.on(event, () => this.#checkConnection());
    }
    return client;
  }

  /** Emits on transitions only: down when either shared connection drops, up when both are ready. */
  #checkConnection(): void {
    if (this.#closed || !this.#connected) return;
    const up = this.#commands.isReady && this.#subscriber.isReady;
    if (up === (this.#state === 'up')) return;
    this.#state = up ? 'up' : 'down';
    this.#events.emit(up ? 'reconnected' : 'disconnected');
  }

  #assertOpen(operation: string): void {
    if (this.#closed) throw new TransportClosedError(operation);
  }

  #assertSize(subject: string, payload: Uint8Array): void {
    if (payload.byteLength > this.maxPayloadBytes) {
      throw new PayloadTooLargeError(subject, payload.byteLength, this.maxPayloadBytes);
    }
  }
}

/** Escapes Redis glob specials, so `[::1]` in a subject matches literally. */
function escapeGlob(text: string): string {
  return text.replace(/[\\*?[\]]/g, '\\$&');
}
