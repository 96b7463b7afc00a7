// One sender per appservice this process holds the shard of: it sends the appservice's outbox
// as transactions (PUT /_matrix/app/v1/transactions/{txnId}), one at a time and in order, and
// forgets a transaction's items once the appservice answered 2xx. A failing appservice is
// retried with exponential backoff, with the same transaction ID and contents (the appservice
// deduplicates by ID), so what it missed while down arrives in order, once.
//
// Delivery to the appservice is at-least-once across crashes (a transaction acknowledged just
// before a kill is sent again, under its same ID); within a process, a sender sends only while
// this process holds the appservice's shard, so two instances never send one appservice's
// transactions at once.
import type { AppserviceRegistration } from '@homeserver/config';
import { callAppservice, type Clock, type EventFormatter } from '@homeserver/services';
import { completeAppserviceTransaction, getEvents, nextAppserviceTransaction, type AppserviceTransaction, type Database } from '@homeserver/storage';
import type { Logger } from 'pino';

export interface TransactionSendersOptions {
  readonly db: Database;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly formatter: EventFormatter;
  /** Whether this process holds the appservice's shard now. Default: always. */
  readonly owns?: (appserviceId: string) => boolean;
  /** First retry delay after a failed transaction. Default: 1000 ms. */
  readonly initialBackoffMs?: number;
  /** Longest retry delay. Default: 5 minutes. */
  readonly maxBackoffMs?: number;
  /** Most events (and ephemeral events) in one transaction. Default: 100 (Synapse's). */
  readonly maxItemsPerTransaction?: number;
  /** Appservice answer timeout. Default: 60000 ms. */
  readonly requestTimeoutMs?: number;
}

/** Counts transactions for metrics and the bench. */
export interface TransactionStats {
  sent: number;
  failed: number;
  events: number;
}

interface SenderState {
  running: boolean;
  again: boolean;
  backoffMs: number;
  retry: NodeJS.Timeout | undefined;
}

export class TransactionSenders {
  readonly stats: TransactionStats = { sent: 0, failed: 0, events: 0 };
  readonly #options: TransactionSendersOptions;
  readonly #byId: ReadonlyMap<string, AppserviceRegistration>;
  readonly #senders = new Map<string, SenderState>();
  readonly #running = new Set<Promise<void>>();
  #stopped = false;

  constructor(appservices: readonly AppserviceRegistration[], options: TransactionSendersOptions) {
    this.#byId = new Map(appservices.map((a) => [a.id, a]));
    this.#options = options;
  }

  /** Something was enqueued for this appservice (or may have been): send what it is owed. */
  wake(appserviceId: string): void {
    if (this.#stopped || !this.#byId.has(appserviceId)) return;
    let state = this.#senders.get(appserviceId);
    if (!state) {
      state = { running: false, again: false, backoffMs: this.#initialBackoff, retry: undefined };
      this.#senders.set(appserviceId, state);
    }
    if (state.retry !== undefined) return; // backing off: the timer wakes it
    if (state.running) {
      state.again = true;
      return;
    }
    state.running = true;
    const run = this.#drain(this.#byId.get(appserviceId)!, state)
      .catch((error: unknown) => {
        this.#options.logger.error({ err: error, appserviceId }, 'appservice sender failed; retrying later');
        this.#backOff(appserviceId, state);
      })
      .finally(() => {
        state.running = false;
        this.#running.delete(run);
        if (state.again && state.retry === undefined && !this.#stopped) {
          state.again = false;
          this.wake(appserviceId);
        }
      });
    this.#running.add(run);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    for (const state of this.#senders.values()) if (state.retry) clearTimeout(state.retry);
    await Promise.all([...this.#running]);
  }

  get #initialBackoff(): number {
    return this.#options.initialBackoffMs ?? 1000;
  }

  async #drain(appservice: AppserviceRegistration, state: SenderState): Promise<void> {
    const { db, logger } = this.#options;
    while (!this.#stopped) {
      state.again = false;
      if (this.#options.owns && !this.#options.owns(appservice.id)) return; // the shard moved on
      const txn = await nextAppserviceTransaction(db, appservice.id, this.#options.maxItemsPerTransaction ?? 100);
      if (txn === undefined) return;
      const body = await this.#body(txn);
      const answer = await callAppservice(appservice, 'PUT', `/transactions/${txn.txnId}`, { body, timeoutMs: this.#options.requestTimeoutMs ?? 60_000 });
      if (!answer.ok) {
        this.stats.failed++;
        logger.info({ appserviceId: appservice.id, txnId: txn.txnId, reason: answer.reason, retryInMs: state.backoffMs }, 'appservice transaction failed; retrying later');
        return this.#backOff(appservice.id, state);
      }
      await completeAppserviceTransaction(db, appservice.id, txn.txnId);
      this.stats.sent++;
      this.stats.events += body.events.length + (body.ephemeral?.length ?? 0);
      state.backoffMs = this.#initialBackoff;
    }
  }

  /** The transaction body: events in the client format, ephemeral events only when there are some. */
  async #body(txn: AppserviceTransaction): Promise<{ events: unknown[]; ephemeral?: unknown[] }> {
    const ids = txn.items.flatMap((item) => (item.eventId === undefined ? [] : [item.eventId]));
    const stored = await getEvents(this.#options.db, ids);
    // An event purged since it was enqueued is left out; the rest keep their order.
    const present = ids.flatMap((id) => (stored.has(id) ? [stored.get(id)!] : []));
    const events = present.length === 0 ? [] : await this.#options.formatter.format(present, { aggregate: false });
    const ephemeral = txn.items.flatMap((item) => (item.edu === undefined ? [] : [item.edu]));
    return ephemeral.length === 0 ? { events } : { events, ephemeral };
  }

  #backOff(appserviceId: string, state: SenderState): void {
    if (this.#stopped) return;
    const delay = state.backoffMs;
    state.backoffMs = Math.min(delay * 2, this.#options.maxBackoffMs ?? 300_000);
    state.retry = setTimeout(() => {
      state.retry = undefined;
      this.wake(appserviceId);
    }, delay);
  }
}
