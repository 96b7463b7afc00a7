// One queue per destination this instance owns: it sends what the destination is owed (queued
// in PostgreSQL by the consumers) as transactions of at most 50 PDUs and 100 EDUs, one in
// flight at a time. A transaction is built once and resent with the same ID until the
// destination answers, so a receiver deduplicating by transaction ID never applies it twice,
// even when this process dies mid-send and the shard's next holder resends it.
//
// A failed transaction leaves the destination alone for Synapse's retry interval (stored, so it
// survives restarts); the next attempt is a catch-up: only the newest queued PDU of each room
// is kept, and the destination fetches the rest with /get_missing_events, as with Synapse.
import { FederationRequestError, type FederationClient } from '@homeserver/federation';
import type { JsonObject } from '@homeserver/matrix';
import type { Clock } from '@homeserver/services';
import { claimFederationTxn, completeFederationTxn, getDestinationRetry, recordFederationFailure, type ClaimedTxn, type Database } from '@homeserver/storage';
import type { Logger } from 'pino';
import { DEFAULT_RETRY_SCHEDULE, nextRetryInterval, type RetrySchedule } from './retry-schedule.ts';

export interface DestinationQueuesOptions {
  readonly db: Database;
  readonly client: FederationClient;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Our server name (the transactions' origin). Required. */
  readonly origin: string;
  /** Whether this process holds the destination's shard now. Default: always. */
  readonly owns?: (destination: string) => boolean;
  /** Default: Synapse's (10 minutes doubling to a week). */
  readonly retry?: RetrySchedule;
  /** Transaction answer timeout. Default: 60000 ms. */
  readonly requestTimeoutMs?: number;
}

interface QueueState {
  running: boolean;
  again: boolean;
  retry: NodeJS.Timeout | undefined;
}

/** Counts for metrics and the bench. */
export interface SenderStats {
  transactions: number;
  pdus: number;
  edus: number;
  failures: number;
}

export class DestinationQueues {
  readonly stats: SenderStats = { transactions: 0, pdus: 0, edus: 0, failures: 0 };
  readonly #options: DestinationQueuesOptions;
  readonly #queues = new Map<string, QueueState>();
  readonly #running = new Set<Promise<void>>();
  readonly #idleWaiters = new Set<() => void>();
  #stopped = false;

  constructor(options: DestinationQueuesOptions) {
    this.#options = options;
  }

  /** Something was queued for the destination (or may have been): send what it is owed. */
  wake(destination: string): void {
    if (this.#stopped) return;
    let state = this.#queues.get(destination);
    if (!state) {
      state = { running: false, again: false, retry: undefined };
      this.#queues.set(destination, state);
    }
    // Backing off: the drain reads the stored retry time again, so a reset (an admin, or the
    // destination heard from) takes effect at the next wake; if still not due it re-arms.
    if (state.retry !== undefined) {
      clearTimeout(state.retry);
      state.retry = undefined;
    }
    if (state.running) {
      state.again = true;
      return;
    }
    state.running = true;
    const run = this.#drain(destination, state)
      .catch((error: unknown) => this.#options.logger.error({ err: error, destination }, 'federation queue failed; it resumes on the next wake'))
      .finally(() => {
        state.running = false;
        this.#running.delete(run);
        if (state.again && state.retry === undefined && !this.#stopped) {
          state.again = false;
          this.wake(destination);
        }
        if (this.#running.size === 0) for (const waiter of this.#idleWaiters) waiter();
      });
    this.#running.add(run);
  }

  /** Resolves once no queue is sending (for tests and the bench). */
  async idle(): Promise<void> {
    while (this.#running.size > 0) {
      await new Promise<void>((resolve) => {
        const done = () => {
          this.#idleWaiters.delete(done);
          resolve();
        };
        this.#idleWaiters.add(done);
      });
    }
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    for (const state of this.#queues.values()) if (state.retry) clearTimeout(state.retry);
    await Promise.all([...this.#running]);
  }

  async #drain(destination: string, state: QueueState): Promise<void> {
    const { db, clock, logger } = this.#options;
    // A drain that starts after failures is a catch-up until the queue is empty (the failure
    // mark is cleared by the first answered transaction, usually the one left in flight).
    let catchUp = false;
    while (!this.#stopped) {
      state.again = false;
      if (this.#options.owns && !this.#options.owns(destination)) return; // the shard moved on
      const retry = await getDestinationRetry(db, destination);
      const due = retry === undefined ? 0 : retry.retryLastTs + retry.retryInterval;
      if (retry && retry.retryInterval > 0 && clock.now() < due) return this.#retryAt(destination, state, due);
      catchUp ||= retry?.failureTs !== undefined;
      const txn = await claimFederationTxn(db, destination, { now: clock.now(), catchUp });
      if (!txn) return;
      const outcome = await this.#send(destination, txn);
      if (outcome === 'retry') {
        const interval = nextRetryInterval(retry?.retryInterval ?? 0, this.#options.retry ?? DEFAULT_RETRY_SCHEDULE);
        const now = clock.now();
        await recordFederationFailure(db, destination, { now, retryInterval: interval });
        logger.info({ destination, txnId: txn.txnId, retryInMs: interval }, 'federation transaction failed; backing off');
        return this.#retryAt(destination, state, now + interval);
      }
      await completeFederationTxn(db, destination, txn.txnId, txn.pdus.at(-1)?.streamOrdering);
    }
  }

  /** 'sent' (answered 200, or refused for good and dropped) or 'retry'. */
  async #send(destination: string, txn: ClaimedTxn): Promise<'sent' | 'retry'> {
    const { client, clock, logger, origin } = this.#options;
    // Stored PDUs and EDU contents are parsed JSON: they are JSON values by construction.
    const body = { origin, origin_server_ts: clock.now(), pdus: txn.pdus.map((p) => p.pdu), edus: txn.edus } as unknown as JsonObject;
    try {
      const answer = await client.request<{ pdus?: Record<string, { error?: string }> }>({
        destination,
        method: 'PUT',
        path: `/_matrix/federation/v1/send/${encodeURIComponent(txn.txnId)}`,
        body,
        timeoutMs: this.#options.requestTimeoutMs ?? 60_000,
      });
      for (const [eventId, result] of Object.entries(answer.pdus ?? {})) {
        if (result && typeof result.error === 'string') logger.info({ destination, txnId: txn.txnId, eventId, error: result.error }, 'destination refused a PDU of the transaction');
      }
      this.stats.transactions++;
      this.stats.pdus += txn.pdus.length;
      this.stats.edus += txn.edus.length;
      return 'sent';
    } catch (error) {
      this.stats.failures++;
      // A 4xx is an answer: sending the same transaction again would be refused again, so it is
      // dropped instead of blocking the queue for good. Not 401 (the destination could not check
      // our key yet), 408 or 429: those pass, so they are retried.
      if (error instanceof FederationRequestError && error.status >= 400 && error.status < 500 && ![401, 408, 429].includes(error.status)) {
        logger.warn({ destination, txnId: txn.txnId, status: error.status, errcode: error.errcode }, 'destination refused the transaction; dropping it');
        return 'sent';
      }
      logger.debug({ err: error, destination, txnId: txn.txnId }, 'federation transaction not delivered');
      return 'retry';
    }
  }

  #retryAt(destination: string, state: QueueState, at: number): void {
    if (this.#stopped) return;
    // setTimeout holds at most ~24.8 days; a longer wait is cut short and checked again.
    const delay = Math.min(Math.max(0, at - this.#options.clock.now()), 2 ** 31 - 1);
    state.retry = setTimeout(() => {
      state.retry = undefined;
      this.wake(destination);
    }, delay);
    state.retry.unref();
  }
}
