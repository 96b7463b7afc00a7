// The transport port: the one interface every process uses to talk to other processes.
// Adapters (in-process, NATS, Redis) implement it; a shared contract suite proves they agree.
//
// Subjects are dot-separated tokens (`repl.events`, `actor.room.3`). A subscription subject may
// end in `.>` to match every subject with that prefix and at least one more token. Tokens may
// not contain whitespace, `*` or `>` (InvalidSubjectError). Published messages and requests
// live in separate namespaces: publish() never reaches a serve() handler.

export interface TransportMessage {
  readonly subject: string;
  readonly payload: Uint8Array;
}

/**
 * Receives one subscription's messages one at a time, in order: a returned promise is awaited
 * before the next message. A throw is logged and delivery goes on.
 */
export type MessageHandler = (message: TransportMessage) => void | Promise<void>;

/** Answers a request; the returned bytes are the reply. A throw becomes a RequestFailedError at the caller. */
export type RequestHandler = (payload: Uint8Array, subject: string) => Uint8Array | Promise<Uint8Array>;

export interface Subscription {
  /** Stops delivery. Resolves once the server has dropped the interest. */
  unsubscribe(): Promise<void>;
}

export interface SubscribeOptions {
  /**
   * Queue group: each message goes to one member of the group instead of every subscriber.
   * Default: none (every subscriber receives every message).
   */
  readonly queue?: string;
}

export interface RequestOptions {
  /** Give up after this long with a RequestTimeoutError. Default: 5000 ms. */
  readonly timeoutMs?: number;
}

/** Connection state changes, so readers can catch up after an outage (principle 1). */
export type TransportEvent = 'disconnected' | 'reconnected';

export interface Transport {
  /** Name of the adapter: 'in-process' | 'nats' | 'redis'. */
  readonly kind: string;
  /**
   * Largest message or request payload this transport accepts; larger ones fail with
   * PayloadTooLargeError. Replies may be larger, up to MAX_REPLY_BYTES.
   */
  readonly maxPayloadBytes: number;

  /** Fire-and-forget delivery to current subscribers; order is kept per subject and publisher. */
  publish(subject: string, payload: Uint8Array): Promise<void>;
  subscribe(subject: string, handler: MessageHandler, options?: SubscribeOptions): Promise<Subscription>;

  /**
   * Serves requests on a concrete subject (no `.>`); several servers of one subject share the
   * load, each request reaching exactly one of them. Handlers may run concurrently.
   */
  serve(subject: string, handler: RequestHandler): Promise<Subscription>;
  /**
   * Sends a request and waits for one reply. Fails with NoRespondersError when nobody serves
   * the subject, RequestTimeoutError when no reply comes in time.
   */
  request(subject: string, payload: Uint8Array, options?: RequestOptions): Promise<Uint8Array>;

  /** Listens for connection state changes; returns a function that removes the listener. */
  on(event: TransportEvent, listener: () => void): () => void;

  /** Drains pending work and closes connections. */
  close(): Promise<void>;
}
