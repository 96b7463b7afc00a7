// The durable log: an append-only, replayable feed for work that must not be lost when nobody
// listens (pusher and federation-sender work queues). Only adapters with a durable store
// offer one: NATS through JetStream (NatsTransport.openDurableLog).
import type { Subscription } from './transport.ts';

export interface LogEntry {
  readonly subject: string;
  readonly payload: Uint8Array;
  /** Position in the log, increasing with each append. */
  readonly sequence: number;
  /** True when an earlier delivery of this entry was not acknowledged. */
  readonly redelivered: boolean;
}

/** Returns when the entry is done; a throw hands the entry back for redelivery after a delay. */
export type LogHandler = (entry: LogEntry) => void | Promise<void>;

export interface AppendOptions {
  /** Deduplication id: a second append with the same id (within the server's window) is dropped. Default: none. */
  readonly messageId?: string;
}

export interface ConsumeOptions {
  /** Delay before an entry whose handler threw is delivered again. Default: 1000 ms. */
  readonly retryDelayMs?: number;
  /** How long a delivered entry may go unacknowledged before it is redelivered. Default: 30000 ms. */
  readonly ackWaitMs?: number;
}

export interface DurableLog {
  /** Appends an entry under `subject` (concrete, dot-separated); resolves once stored, with its sequence. */
  append(subject: string, payload: Uint8Array, options?: AppendOptions): Promise<number>;
  /**
   * Delivers every entry, from the first not yet acknowledged, to a named durable consumer:
   * at least once, one at a time per consume() call. Calls with the same consumer name (in any
   * process) share the entries between them, like a queue group.
   */
  consume(consumer: string, handler: LogHandler, options?: ConsumeOptions): Promise<Subscription>;
}
