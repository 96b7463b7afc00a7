// The in-process adapter: the monolith's transport, and a fast stand-in for tests. Transports
// that share one InProcessHub see each other's messages, so one process can host several
// "instances" that talk as if over a bus. Semantics follow the NATS adapter: subject matching
// with `.>`, queue groups, request/reply with timeouts, no-responders, a payload limit.
// Delivery is always asynchronous and in publish order per subscription.
import { DEFAULT_MAX_PAYLOAD_BYTES, DEFAULT_TIMEOUT_MS, MAX_REPLY_BYTES } from './defaults.ts';
import {
  describeError,
  NoRespondersError,
  PayloadTooLargeError,
  RequestFailedError,
  RequestTimeoutError,
  TransportClosedError,
} from './errors.ts';
import { SerialDispatcher } from './serial-dispatcher.ts';
import { assertPattern, assertSubject, subjectMatches, wildcardPrefix } from './subject.ts';
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


interface Interest {
  readonly plain: Set<SerialDispatcher>;
  readonly groups: Map<string, { members: SerialDispatcher[]; next: number }>;
}

interface Servers {
  readonly handlers: RequestHandler[];
  next: number;
}

/** The shared "bus" of in-process transports. Holds no state beyond current interest. */
export class InProcessHub {
  #exact = new Map<string, Interest>();
  #wildcard = new Map<string, Interest>();
  #servers = new Map<string, Servers>();

  /** Registers interest; returns the function that removes it. */
  addSubscriber(pattern: string, dispatcher: SerialDispatcher, queue: string | undefined): () => void {
    const table = wildcardPrefix(pattern) === undefined ? this.#exact : this.#wildcard;
    let interest = table.get(pattern);
    if (!interest) {
      interest = { plain: new Set(), groups: new Map() };
      table.set(pattern, interest);
    }
    const target = interest;
    if (queue === undefined) {
      target.plain.add(dispatcher);
    } else {
      const group = target.groups.get(queue) ?? { members: [], next: 0 };
      group.members.push(dispatcher);
      target.groups.set(queue, group);
    }
    return () => {
      if (queue === undefined) {
        target.plain.delete(dispatcher);
      } else {
        const group = target.groups.get(queue);
        if (group) {
          group.members = group.members.filter((member) => member !== dispatcher);
          if (group.members.length === 0) target.groups.delete(queue);
        }
      }
      if (target.plain.size === 0 && target.groups.size === 0) table.delete(pattern);
    };
  }

  deliver(subject: string, payload: Uint8Array): void {
    const message = { subject, payload };
    const exact = this.#exact.get(subject);
    if (exact) deliverTo(exact, message);
    for (const [pattern, interest] of this.#wildcard) {
      if (subjectMatches(pattern, subject)) deliverTo(interest, message);
    }
  }

  addServer(subject: string, handler: RequestHandler): () => void {
    const servers = this.#servers.get(subject) ?? { handlers: [], next: 0 };
    servers.handlers.push(handler);
    this.#servers.set(subject, servers);
    return () => {
      const index = servers.handlers.indexOf(handler);
      if (index >= 0) servers.handlers.splice(index, 1);
      if (servers.handlers.length === 0) this.#servers.delete(subject);
    };
  }

  /** Picks the next server of a subject round-robin, like a NATS queue group spreads load. */
  pickServer(subject: string): RequestHandler | undefined {
    const servers = this.#servers.get(subject);
    if (!servers || servers.handlers.length === 0) return undefined;
    servers.next = (servers.next + 1) % servers.handlers.length;
    return servers.handlers[servers.next];
  }
}

function deliverTo(interest: Interest, message: { subject: string; payload: Uint8Array }): void {
  for (const dispatcher of interest.plain) dispatcher.push(message);
  for (const group of interest.groups.values()) {
    group.next = (group.next + 1) % group.members.length;
    group.members[group.next]?.push(message);
  }
}

export interface InProcessTransportOptions {
  /** Bus shared with other in-process transports. Default: a new hub private to this transport. */
  readonly hub?: InProcessHub;
  /** Largest accepted payload. Default: 1 MiB (DEFAULT_MAX_PAYLOAD_BYTES), NATS's default. */
  readonly maxPayloadBytes?: number;
  /** Receives handler failures. Default: silent. */
  readonly logger?: TransportLogger;
}

export class InProcessTransport implements Transport {
  readonly kind = 'in-process';
  readonly maxPayloadBytes: number;
  #hub: InProcessHub;
  #logger: TransportLogger;
  #closed = false;
  #cleanups = new Set<() => void>();
  #pending = new Set<(error: Error) => void>();

  constructor(options: InProcessTransportOptions = {}) {
    this.#hub = options.hub ?? new InProcessHub();
    this.maxPayloadBytes = options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES;
    this.#logger = options.logger ?? silentLogger;
  }

  async publish(subject: string, payload: Uint8Array): Promise<void> {
    this.#assertOpen('publish');
    assertSubject(subject);
    this.#assertSize(subject, payload);
    // A copy, so the publisher may reuse its buffer as it could with a network transport.
    this.#hub.deliver(subject, payload.slice());
  }

  async subscribe(subject: string, handler: MessageHandler, options: SubscribeOptions = {}): Promise<Subscription> {
    this.#assertOpen('subscribe');
    assertPattern(subject);
    const dispatcher = new SerialDispatcher(handler, {
      defer: true,
      onError: (error, message) =>
        this.#logger.warn({ err: error, subject: message.subject }, 'transport message handler threw'),
    });
    const remove = this.#hub.addSubscriber(subject, dispatcher, options.queue);
    const cleanup = () => {
      dispatcher.close();
      remove();
    };
    return this.#track(cleanup);
  }

  async serve(subject: string, handler: RequestHandler): Promise<Subscription> {
    this.#assertOpen('serve');
    assertSubject(subject);
    return this.#track(this.#hub.addServer(subject, handler));
  }

  async request(subject: string, payload: Uint8Array, options: RequestOptions = {}): Promise<Uint8Array> {
    this.#assertOpen('request');
    assertSubject(subject);
    this.#assertSize(subject, payload);
    const handler = this.#hub.pickServer(subject);
    if (!handler) throw new NoRespondersError(subject);
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const input = payload.slice();
    return new Promise<Uint8Array>((resolve, reject) => {
      const settle = (error: Error | undefined, reply?: Uint8Array) => {
        if (!this.#pending.delete(fail)) return;
        clearTimeout(timer);
        if (error) reject(error);
        else resolve(reply!);
      };
      const fail = (error: Error) => settle(error);
      this.#pending.add(fail);
      const timer = setTimeout(() => fail(new RequestTimeoutError(subject, timeoutMs)), timeoutMs);
      queueMicrotask(async () => {
        try {
          const reply = await handler(input, subject);
          if (reply.byteLength > MAX_REPLY_BYTES) {
            fail(new RequestFailedError(subject, `reply of ${reply.byteLength} bytes exceeds the ${MAX_REPLY_BYTES}-byte limit`));
          } else {
            settle(undefined, reply.slice());
          }
        } catch (error) {
          fail(new RequestFailedError(subject, describeError(error)));
        }
      });
    });
  }

  /** In-process delivery has no connection to lose, so these events never fire. */
  on(_event: TransportEvent, _listener: () => void): () => void {
    return () => {};
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const cleanup of this.#cleanups) cleanup();
    this.#cleanups.clear();
    for (const fail of [...this.#pending]) fail(new TransportClosedError('wait for a reply'));
  }

  #track(cleanup: () => void): Subscription {
    this.#cleanups.add(cleanup);
    return {
      unsubscribe: async () => {
        if (this.#cleanups.delete(cleanup)) cleanup();
      },
    };
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
