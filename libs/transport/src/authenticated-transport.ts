// Wraps any transport so that every published message, request and reply is an authenticated
// frame (mac-frame.ts) under the cluster's `worker_replication_secret`. Whatever arrives without
// a valid MAC, outside the timestamp window, or a second time, is dropped before any handler sees
// it and reported through `onRejected` (the runtime counts it in /metrics). A refused request
// is answered with a RequestRejectedError, so a worker with a wrong secret learns why at once
// instead of waiting for timeouts; it executes nothing.
//
// Replay memory is per subscription (one process may receive a frame on two subscriptions
// legitimately) and per served subject.
import type { KeyObject } from 'node:crypto';
import { describeError, PayloadTooLargeError, RequestFailedError, TransportError } from './errors.ts';
import { deriveMacKey, FRAME_OVERHEAD, nonceOf, openFrame, sealFrame, type FrameKind, type OpenedFrame, type RejectReason } from './mac-frame.ts';
import { ReplayGuard } from './replay-guard.ts';
import { silentLogger, type TransportLogger } from './transport-logger.ts';
import type { MessageHandler, RequestHandler, RequestOptions, SubscribeOptions, Subscription, Transport, TransportEvent } from './transport.ts';

export type { RejectReason } from './mac-frame.ts';

export interface AuthenticatedTransportOptions {
  /** The shared secret (`worker_replication_secret`). Required, non-empty. */
  readonly secret: string;
  /** Frames whose timestamp is further than this from our clock are refused as stale. Default: 30000 ms. */
  readonly maxSkewMs?: number;
  /** Called for each refused frame. Default: none. */
  readonly onRejected?: (reason: RejectReason, subject: string) => void;
  /** Default: silent. */
  readonly logger?: TransportLogger;
  /** Default: Date.now. */
  readonly clock?: () => number;
}

const REASON_HINTS: Record<RejectReason, string> = {
  no_mac: 'it carried no MAC: does every process set worker_replication_secret?',
  bad_mac: 'its MAC did not verify: is worker_replication_secret the same on every process?',
  stale: 'its timestamp was too far from the responder\'s clock: are the hosts\' clocks in sync (NTP)?',
  replayed: 'it was seen before',
  wrong_kind: 'it was not sealed as a request',
};

/** A request was refused by its responder for failing authentication. */
export class RequestRejectedError extends TransportError {
  override name = 'RequestRejectedError';
  readonly reason: RejectReason;
  constructor(subject: string, reason: RejectReason) {
    super(`request on subject ${JSON.stringify(subject)} refused: ${reason} (${REASON_HINTS[reason]})`);
    this.reason = reason;
  }
}

/** A reply failed authentication; its content was not used. */
export class ReplyRejectedError extends TransportError {
  override name = 'ReplyRejectedError';
  readonly reason: RejectReason;
  constructor(subject: string, reason: RejectReason) {
    super(`reply to a request on subject ${JSON.stringify(subject)} refused: ${reason}`);
    this.reason = reason;
  }
}

const DEFAULT_MAX_SKEW_MS = 30_000;
/** Rejections are logged at most this often per reason (each one is counted regardless). */
const LOG_EVERY_MS = 10_000;
const decoder = new TextDecoder();
const encoder = new TextEncoder();

export function authenticateTransport(inner: Transport, options: AuthenticatedTransportOptions): Transport {
  return new AuthenticatedTransport(inner, options);
}

class AuthenticatedTransport implements Transport {
  #inner: Transport;
  #key: KeyObject;
  #skewMs: number;
  #clock: () => number;
  #onRejected: (reason: RejectReason, subject: string) => void;
  #logger: TransportLogger;
  #lastLogged = new Map<RejectReason, { at: number; suppressed: number }>();

  constructor(inner: Transport, options: AuthenticatedTransportOptions) {
    if (!options.secret) throw new TypeError('authenticateTransport needs a non-empty secret');
    this.#inner = inner;
    this.#key = deriveMacKey(options.secret);
    this.#skewMs = options.maxSkewMs ?? DEFAULT_MAX_SKEW_MS;
    this.#clock = options.clock ?? Date.now;
    this.#onRejected = options.onRejected ?? (() => {});
    this.#logger = options.logger ?? silentLogger;
  }

  get kind(): string {
    return this.#inner.kind;
  }

  get maxPayloadBytes(): number {
    return this.#inner.maxPayloadBytes - FRAME_OVERHEAD;
  }

  async publish(subject: string, payload: Uint8Array): Promise<void> {
    this.#assertSize(subject, payload);
    return this.#inner.publish(subject, sealFrame(this.#key, 'message', subject, payload, { nowMs: this.#clock() }));
  }

  subscribe(subject: string, handler: MessageHandler, options?: SubscribeOptions): Promise<Subscription> {
    const guard = new ReplayGuard(this.#skewMs, this.#clock);
    return this.#inner.subscribe(
      subject,
      (message) => {
        const opened = this.#open(message.subject, message.payload, { kinds: ['message'], guard });
        if (typeof opened === 'string') return;
        return handler({ subject: message.subject, payload: opened.payload });
      },
      options,
    );
  }

  serve(subject: string, handler: RequestHandler): Promise<Subscription> {
    const guard = new ReplayGuard(this.#skewMs, this.#clock);
    return this.#inner.serve(subject, (bytes, served) => {
      const opened = this.#open(served, bytes, { kinds: ['request'], guard });
      if (typeof opened === 'string') throw new RequestRejectedError(served, opened);
      const seal = (kind: 'reply' | 'failure', payload: Uint8Array) =>
        sealFrame(this.#key, kind, served, payload, { nowMs: this.#clock(), bound: opened.nonceBytes });
      // Failures travel sealed too, so nobody can inject an error in a responder's name.
      const fail = (error: unknown) => seal('failure', encoder.encode(describeError(error)));
      try {
        const result = handler(opened.payload, served);
        return result instanceof Uint8Array ? seal('reply', result) : result.then((reply) => seal('reply', reply), fail);
      } catch (error) {
        return fail(error);
      }
    });
  }

  async request(subject: string, payload: Uint8Array, options?: RequestOptions): Promise<Uint8Array> {
    this.#assertSize(subject, payload);
    const sealed = sealFrame(this.#key, 'request', subject, payload, { nowMs: this.#clock() });
    const bytes = await this.#inner.request(subject, sealed, options);
    // A reply is bound to its request's nonce, which is unique: no replay memory needed.
    const opened = this.#open(subject, bytes, { kinds: ['reply', 'failure'], bound: nonceOf(sealed) });
    if (typeof opened === 'string') throw new ReplyRejectedError(subject, opened);
    if (opened.kind === 'failure') throw new RequestFailedError(subject, decoder.decode(opened.payload));
    return opened.payload;
  }

  on(event: TransportEvent, listener: () => void): () => void {
    return this.#inner.on(event, listener);
  }

  close(): Promise<void> {
    return this.#inner.close();
  }

  #assertSize(subject: string, payload: Uint8Array): void {
    const limit = this.maxPayloadBytes;
    if (payload.byteLength > limit) throw new PayloadTooLargeError(subject, payload.byteLength, limit);
  }

  /** Opens and checks a frame; a refusal is reported (counted, logged) and returned as its reason. */
  #open(subject: string, bytes: Uint8Array, expect: { kinds: readonly FrameKind[]; guard?: ReplayGuard; bound?: Uint8Array }): OpenedFrame | RejectReason {
    const opened = openFrame(this.#key, subject, bytes, expect.bound);
    let reason: RejectReason | undefined;
    if (typeof opened === 'string') reason = opened;
    else if (!expect.kinds.includes(opened.kind)) reason = 'wrong_kind';
    else if (expect.guard) {
      const fresh = expect.guard.check(opened.timestampMs, opened.nonce);
      if (fresh !== 'ok') reason = fresh;
    }
    if (reason === undefined) return opened as OpenedFrame;
    this.#reject(reason, subject);
    return reason;
  }

  #reject(reason: RejectReason, subject: string): void {
    this.#onRejected(reason, subject);
    const now = this.#clock();
    const last = this.#lastLogged.get(reason);
    if (last && now - last.at < LOG_EVERY_MS) {
      last.suppressed++;
      return;
    }
    this.#lastLogged.set(reason, { at: now, suppressed: 0 });
    this.#logger.warn({ reason, subject, suppressedSinceLast: last?.suppressed ?? 0 }, 'dropped a replication frame that failed authentication');
  }
}
