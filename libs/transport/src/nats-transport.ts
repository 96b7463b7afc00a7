// The NATS adapter: core NATS subjects for pub/sub and request/reply. Published messages go to
// `<prefix>.msg.<subject>`, requests to `<prefix>.rpc.<subject>`, served by one queue group so
// several servers share the load. A responder's failure travels back in a header; a reply too
// big for one message is fetched in chunks (nats-chunked-reply.ts). The client
// reconnects forever with capped exponential backoff and resubscribes by itself.
import {
  ClosedConnectionError,
  connect,
  credsAuthenticator,
  DrainingConnectionError,
  headers,
  nkeyAuthenticator,
  NoRespondersError as NatsNoRespondersError,
  RequestError,
  TimeoutError,
  type Msg,
  type NatsConnection,
} from '@nats-io/transport-node';
import { readFileSync } from 'node:fs';
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
import { CHUNKED_HEADER, fetchChunks, needsChunks, respondInChunks } from './nats-chunked-reply.ts';
import { plainBytes } from './plain-bytes.ts';
import { SerialDispatcher } from './serial-dispatcher.ts';
import { TransportEvents } from './transport-events.ts';
import { assertPattern, assertSubject } from './subject.ts';
import { silentLogger, type TransportLogger } from './transport-logger.ts';
import type {
  MessageHandler,
  RequestHandler,
  RequestOptions,
  SubscribeOptions,
  Subscription,
  Transport,
  TransportEvent,
} from './transport.ts';

/** close() gives a drain this long before it closes the connection regardless. */
const DRAIN_TIMEOUT_MS = 5000;
/** Header carrying a responder's failure; success replies carry no headers at all. */
const ERROR_HEADER = 'Hs-Error';

export interface NatsTransportOptions extends NetworkTransportOptions {
  /** Server URL(s). Default: 'nats://127.0.0.1:4222'. */
  readonly servers?: string | readonly string[];
  /** Username and password. Default: none. */
  readonly user?: string;
  readonly pass?: string;
  /** Token authentication. Default: none. */
  readonly token?: string;
  /** A user nkey seed (`SU...`); the server is configured with its public key. Default: none. */
  readonly nkeySeed?: string;
  /** Path of a creds file (user JWT + seed, as `nsc` writes it), read at each (re)connect. Default: none. */
  readonly credsFile?: string;
}

/** The first connection attempt failed (later outages are retried forever instead). */
export class NatsConnectError extends TransportError {
  override name = 'NatsConnectError';
  constructor(servers: string, cause: unknown) {
    super(`could not connect to NATS at ${servers}: ${describeError(cause)}`, { cause });
  }
}

export async function connectNatsTransport(options: NatsTransportOptions = {}): Promise<NatsTransport> {
  const servers = typeof options.servers === 'string' ? [options.servers] : [...(options.servers ?? ['nats://127.0.0.1:4222'])];
  const { min, max } = options.reconnectDelayMs ?? { min: 100, max: 5000 };
  let attempt = 0;
  let connection: NatsConnection;
  try {
    connection = await connect({
      servers,
      name: options.name ?? 'homeserver',
      ...(options.user !== undefined ? { user: options.user, pass: options.pass ?? '' } : {}),
      ...(options.token !== undefined ? { token: options.token } : {}),
      ...(options.nkeySeed !== undefined ? { authenticator: nkeyAuthenticator(new TextEncoder().encode(options.nkeySeed)) } : {}),
      // Read on every connect, so a rotated creds file takes effect at the next reconnect.
      ...(options.credsFile !== undefined ? { authenticator: credsAuthenticator(() => readFileSync(options.credsFile!)) } : {}),
      maxReconnectAttempts: -1,
      // Jittered exponential backoff; the attempt count resets on each successful reconnect.
      reconnectDelayHandler: () => Math.min(max, min * 2 ** attempt++) * (0.75 + Math.random() * 0.5),
      noAsyncTraces: true,
    });
  } catch (error) {
    throw new NatsConnectError(servers.join(', '), error);
  }
  return new NatsTransport(connection, {
    prefix: options.prefix ?? DEFAULT_PREFIX,
    logger: options.logger ?? silentLogger,
    onReconnect: () => (attempt = 0),
  });
}

interface NatsTransportInternals {
  readonly prefix: string;
  readonly logger: TransportLogger;
  readonly onReconnect: () => void;
}

/** Made by connectNatsTransport; the constructor takes an open connection. */
export class NatsTransport implements Transport {
  readonly kind = 'nats';
  #nc: NatsConnection;
  #prefix: string;
  #msgPrefix: string;
  #rpcPrefix: string;
  #rpcQueue: string;
  #logger: TransportLogger;
  #closed = false;
  #connected = true;
  #events: TransportEvents;

  constructor(connection: NatsConnection, internals: NatsTransportInternals) {
    this.#nc = connection;
    this.#prefix = internals.prefix;
    this.#msgPrefix = `${internals.prefix}.msg.`;
    this.#rpcPrefix = `${internals.prefix}.rpc.`;
    this.#rpcQueue = `${internals.prefix}.rpc`;
    this.#logger = internals.logger;
    this.#events = new TransportEvents(internals.logger);
    void this.#watchStatus(internals.onReconnect);
  }

  /** The server's max_payload, as announced on connect. */
  get maxPayloadBytes(): number {
    return this.#nc.info?.max_payload ?? DEFAULT_MAX_PAYLOAD_BYTES;
  }

  async publish(subject: string, payload: Uint8Array): Promise<void> {
    this.#assertOpen('publish');
    assertSubject(subject);
    this.#assertSize(subject, payload);
    try {
      this.#nc.publish(this.#msgPrefix + subject, payload);
    } catch (error) {
      throw this.#mapError(error, 'publish', subject);
    }
  }

  async subscribe(subject: string, handler: MessageHandler, options: SubscribeOptions = {}): Promise<Subscription> {
    this.#assertOpen('subscribe');
    assertPattern(subject);
    const strip = this.#msgPrefix.length;
    const dispatcher = new SerialDispatcher(handler, {
      onError: (error, message) => this.#logger.warn({ err: error, subject: message.subject }, 'transport message handler threw'),
    });
    const subscription = this.#nc.subscribe(this.#msgPrefix + subject, {
      ...(options.queue !== undefined ? { queue: options.queue } : {}),
      callback: (error, msg) => {
        if (error) this.#logger.warn({ err: error, subject }, 'NATS subscription failed');
        else dispatcher.push({ subject: msg.subject.slice(strip), payload: plainBytes(msg.data) });
      },
    });
    // Once flushed, the server knows the interest: a publish from any connection will reach it.
    await this.#flush('subscribe', subject);
    return {
      unsubscribe: async () => {
        dispatcher.close();
        if (subscription.isClosed()) return;
        subscription.unsubscribe();
        await this.#flush('unsubscribe', subject);
      },
    };
  }

  async serve(subject: string, handler: RequestHandler): Promise<Subscription> {
    this.#assertOpen('serve');
    assertSubject(subject);
    const subscription = this.#nc.subscribe(this.#rpcPrefix + subject, {
      queue: this.#rpcQueue,
      callback: (error, msg) => {
        if (error) this.#logger.warn({ err: error, subject }, 'NATS request subscription failed');
        else void this.#answer(msg, subject, handler);
      },
    });
    await this.#flush('serve', subject);
    return {
      unsubscribe: async () => {
        if (subscription.isClosed()) return;
        subscription.unsubscribe();
        await this.#flush('stop serving', subject);
      },
    };
  }

  async request(subject: string, payload: Uint8Array, options: RequestOptions = {}): Promise<Uint8Array> {
    this.#assertOpen('request');
    assertSubject(subject);
    this.#assertSize(subject, payload);
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const deadline = Date.now() + timeoutMs;
    let reply: Msg;
    try {
      reply = await this.#nc.request(this.#rpcPrefix + subject, payload, { timeout: timeoutMs });
    } catch (error) {
      throw this.#mapError(error, 'request', subject, timeoutMs);
    }
    const failure = reply.headers?.get(ERROR_HEADER);
    if (failure) throw new RequestFailedError(subject, failure);
    const chunked = reply.headers?.get(CHUNKED_HEADER);
    if (!chunked) return plainBytes(reply.data);
    try {
      return await fetchChunks(this.#nc, subject, chunked, deadline - Date.now());
    } catch (error) {
      throw this.#mapError(error, 'request', subject, timeoutMs);
    }
  }

  on(event: TransportEvent, listener: () => void): () => void {
    return this.#events.on(event, listener);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    // drain() lets handlers in flight finish and flushes what was published. A connection that
    // is down cannot drain (it would wait for the server), so it just closes.
    if (!this.#connected) return this.#nc.close();
    let timer: NodeJS.Timeout | undefined;
    const stalled = new Promise<'stalled'>((resolve) => (timer = setTimeout(() => resolve('stalled'), DRAIN_TIMEOUT_MS)));
    const outcome = await Promise.race([this.#nc.drain().catch(() => 'failed' as const), stalled]);
    clearTimeout(timer);
    if (outcome !== undefined) await this.#nc.close();
  }

  async #answer(msg: Msg, subject: string, handler: RequestHandler): Promise<void> {
    let reply: Uint8Array;
    try {
      reply = await handler(plainBytes(msg.data), subject);
      if (reply.byteLength > MAX_REPLY_BYTES) throw new PayloadTooLargeError(subject, reply.byteLength, MAX_REPLY_BYTES);
      if (needsChunks(reply, this.maxPayloadBytes)) return await respondInChunks(this.#nc, msg, reply, { prefix: this.#prefix, maxPayloadBytes: this.maxPayloadBytes });
    } catch (error) {
      const failure = headers();
      // Header values are single lines.
      failure.set(ERROR_HEADER, describeError(error).replace(/[\r\n]+/g, ' ') || 'unknown failure');
      msg.respond(new Uint8Array(0), { headers: failure });
      return;
    }
    msg.respond(reply);
  }

  async #watchStatus(onReconnect: () => void): Promise<void> {
    // Emit only on transitions: the client reports one 'disconnect' per outage, then 'reconnect'.
    for await (const status of this.#nc.status()) {
      if (status.type === 'disconnect' && this.#connected) {
        this.#connected = false;
        this.#events.emit('disconnected');
      } else if (status.type === 'reconnect' && !this.#connected) {
        this.#connected = true;
        onReconnect();
        this.#events.emit('reconnected');
      } else if (status.type === 'error') {
        this.#logger.warn({ err: status.error }, 'NATS connection error');
      }
    }
  }

  /**
   * Waits until the server has seen what was sent. During an outage the flush fails, but the
   * subscription stands: the client sends it again on reconnect, so only closing is an error.
   */
  async #flush(operation: string, subject: string): Promise<void> {
    try {
      await this.#nc.flush();
    } catch (error) {
      if (this.#nc.isClosed() || error instanceof ClosedConnectionError) throw this.#mapError(error, operation, subject);
    }
  }

  #mapError(error: unknown, operation: string, subject: string, timeoutMs = 0): Error {
    if (error instanceof TimeoutError) return new RequestTimeoutError(subject, timeoutMs);
    if (error instanceof NatsNoRespondersError) return new NoRespondersError(subject);
    if (error instanceof RequestError) {
      if (error.isNoResponders()) return new NoRespondersError(subject);
      if (error.cause instanceof TimeoutError) return new RequestTimeoutError(subject, timeoutMs);
    }
    if (error instanceof ClosedConnectionError || error instanceof DrainingConnectionError) {
      return new TransportClosedError(operation);
    }
    return error instanceof Error ? error : new TransportError(`${operation} on ${subject} failed: ${String(error)}`);
  }

  #assertOpen(operation: string): void {
    if (this.#closed || this.#nc.isClosed()) throw new TransportClosedError(operation);
  }

  #assertSize(subject: string, payload: Uint8Array): void {
    const limit = this.maxPayloadBytes;
    if (payload.byteLength > limit) throw new PayloadTooLargeError(subject, payload.byteLength, limit);
  }
}
