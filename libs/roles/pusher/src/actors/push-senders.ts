// One sender per pusher this instance owns: it works through the pusher's outbox rows in order,
// one push at a time, deleting each row once the gateway accepted it. A failing gateway is
// retried with exponential backoff (Synapse's 1 s doubling to 1 h) and a notification older than
// the give-up age is dropped, so a gateway fixed after a day does not receive a flood of stale
// pushes. A pushkey the gateway reports `rejected` removes the pusher (and what it was owed).
//
// Delivery is at-least-once: a process killed after the gateway accepted a push but before its
// row was marked sent sends that push again when it (or the shard's next holder) resumes. A
// sender sends only while this process holds the user's shard, so two instances never work
// through one pusher's rows at once.
import { getCurrentStateEvent, getEvent, badgeCounts, deletePusher, markPushesSent, markPusherOutcome, pendingPushes, pusherById, type Database, type PushOutboxRow, type PusherRow } from '@homeserver/storage';
import type { Clock } from '@homeserver/services';
import type { Logger } from 'pino';
import { postNotification, type GatewayOutcome } from '../producers/gateway-client.ts';
import { badgeNotification, eventNotification } from '../producers/notification.ts';

export interface PushSendersOptions {
  readonly db: Database;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Whether this process holds the shard of `userId` now. Default: always. */
  readonly owns?: (userId: string) => boolean;
  /** First retry delay after a failed push. Default: 1000 ms. */
  readonly initialBackoffMs?: number;
  /** Longest retry delay. Default: 1 hour. */
  readonly maxBackoffMs?: number;
  /** A notification still failing this long after it was enqueued is dropped. Default: 24 hours. */
  readonly giveUpAfterMs?: number;
  /** Pushes in flight at once over all pushers. Default: 64. */
  readonly maxConcurrent?: number;
  /** Gateway answer timeout. Default: 20000 ms. */
  readonly requestTimeoutMs?: number;
}

interface SenderState {
  running: boolean;
  again: boolean;
  backoffMs: number;
  retry: NodeJS.Timeout | undefined;
  /** The badge last sent, so a receipt that changes nothing sends nothing (as Synapse). */
  lastBadge: number | undefined;
  /** A push failed since the last success (the pusher row's failing_since is set). */
  failing: boolean;
}

/** Counts pushes for metrics and the bench. */
export interface PushStats {
  sent: number;
  failed: number;
  dropped: number;
}

export class PushSenders {
  readonly stats: PushStats = { sent: 0, failed: 0, dropped: 0 };
  readonly #options: PushSendersOptions;
  readonly #senders = new Map<number, SenderState>();
  readonly #running = new Set<Promise<void>>();
  #inFlight = 0;
  #slotWaiters: Array<() => void> = [];
  #stopped = false;

  constructor(options: PushSendersOptions) {
    this.#options = options;
  }

  /** Something was enqueued for this pusher (or may have been): send what it is owed. */
  wake(pusherId: number): void {
    if (this.#stopped) return;
    let state = this.#senders.get(pusherId);
    if (!state) {
      state = { running: false, again: false, backoffMs: this.#options.initialBackoffMs ?? 1000, retry: undefined, lastBadge: undefined, failing: true };
      this.#senders.set(pusherId, state);
    }
    if (state.retry !== undefined) return; // backing off: the timer wakes it
    if (state.running) {
      state.again = true;
      return;
    }
    state.running = true;
    const run = this.#drain(pusherId, state)
      .catch((error: unknown) => this.#options.logger.error({ err: error, pusherId }, 'pusher sender failed; it retries on the next wake'))
      .finally(() => {
        state.running = false;
        this.#running.delete(run);
        if (state.again && state.retry === undefined && !this.#stopped) {
          state.again = false;
          this.wake(pusherId);
        }
      });
    this.#running.add(run);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    for (const state of this.#senders.values()) if (state.retry) clearTimeout(state.retry);
    for (const waiter of this.#slotWaiters.splice(0)) waiter();
    await Promise.all([...this.#running]);
  }

  async #drain(pusherId: number, state: SenderState): Promise<void> {
    const { db } = this.#options;
    while (!this.#stopped) {
      state.again = false;
      const rows = await pendingPushes(db, pusherId, 50);
      if (rows.length === 0) return;
      const pusher = await pusherById(db, pusherId);
      if (!pusher) return; // deleted: its rows went with it
      if (this.#options.owns && !this.#options.owns(pusher.userId)) return; // the shard moved on
      for (let i = 0; i < rows.length && !this.#stopped; i++) {
        const row = rows[i]!;
        // Consecutive badge updates collapse into the last one: only the newest counts matter.
        const batch = [row];
        while (row.kind === 'badge' && rows[i + 1]?.kind === 'badge') batch.push(rows[++i]!);
        const outcome = await this.#sendOne(pusher, row, state);
        if (outcome === 'retry') return this.#backOff(pusherId, state);
        await markPushesSent(db, batch.map((r) => r.id), this.#options.clock.now());
        if (outcome === 'removed') return;
      }
    }
  }

  /** 'done' (sent, or nothing to send), 'removed' (pushkey rejected), or 'retry'. */
  async #sendOne(pusher: PusherRow, row: PushOutboxRow, state: SenderState): Promise<'done' | 'removed' | 'retry'> {
    const { db, clock, logger } = this.#options;
    const counts = await badgeCounts(db, pusher.userId);
    let body: unknown;
    if (row.kind === 'badge') {
      if (state.lastBadge === counts.unread) return 'done';
      body = badgeNotification(pusher, counts);
    } else {
      const event = row.eventId === undefined ? undefined : await getEvent(db, row.eventId);
      if (event === undefined) return 'done';
      // Names are only part of the full format: event_id_only pushes skip their three reads.
      const names = pusher.data['format'] === 'event_id_only' ? {} : await this.#names(event.roomId, event.sender);
      body = eventNotification({ event, pusher, actions: row.actions ?? [], counts, ...names });
    }
    const outcome = await this.#post(pusher, body);
    if (!outcome.ok) {
      this.stats.failed++;
      state.failing = true;
      await markPusherOutcome(db, pusher.id, { ok: false, at: clock.now() });
      if (clock.now() - row.createdTs > (this.#options.giveUpAfterMs ?? 86_400_000)) {
        logger.warn({ pusherId: pusher.id, userId: pusher.userId, reason: outcome.reason }, 'giving up on a notification its gateway kept refusing');
        this.stats.dropped++;
        return 'done';
      }
      logger.info({ pusherId: pusher.id, reason: outcome.reason, retryInMs: state.backoffMs }, 'push failed; retrying later');
      return 'retry';
    }
    this.stats.sent++;
    state.lastBadge = counts.unread;
    state.backoffMs = this.#options.initialBackoffMs ?? 1000;
    // The row is written when a failure ends (and once per sender start), not on every push.
    if (state.failing) {
      state.failing = false;
      await markPusherOutcome(db, pusher.id, { ok: true, at: clock.now() });
    }
    // Only the pushkey we sent can be rejected for this pusher (the gateway may list others).
    if (outcome.rejected.includes(pusher.pushkey)) {
      logger.info({ pusherId: pusher.id, userId: pusher.userId, appId: pusher.appId }, 'push gateway rejected the pushkey; removing the pusher');
      await deletePusher(db, { userId: pusher.userId, appId: pusher.appId, pushkey: pusher.pushkey });
      return 'removed';
    }
    return 'done';
  }

  async #names(roomId: string, sender: string): Promise<{ senderDisplayName?: string; roomName?: string; roomAlias?: string }> {
    const { db } = this.#options;
    const [member, name, alias] = await Promise.all([
      getCurrentStateEvent(db, roomId, { type: 'm.room.member', stateKey: sender }),
      getCurrentStateEvent(db, roomId, { type: 'm.room.name', stateKey: '' }),
      getCurrentStateEvent(db, roomId, { type: 'm.room.canonical_alias', stateKey: '' }),
    ]);
    const field = (event: typeof member, key: string) => {
      const value = (event?.pdu['content'] as Record<string, unknown> | undefined)?.[key];
      return typeof value === 'string' && value !== '' ? value : undefined;
    };
    const names: { senderDisplayName?: string; roomName?: string; roomAlias?: string } = {};
    const displayName = field(member, 'displayname');
    if (displayName !== undefined) names.senderDisplayName = displayName;
    const roomName = field(name, 'name');
    if (roomName !== undefined) names.roomName = roomName;
    const roomAlias = field(alias, 'alias');
    if (roomAlias !== undefined) names.roomAlias = roomAlias;
    return names;
  }

  async #post(pusher: PusherRow, body: unknown): Promise<GatewayOutcome> {
    await this.#slot();
    try {
      const url = pusher.data['url'];
      if (typeof url !== 'string') return { ok: false, reason: 'the pusher has no url' };
      return await postNotification(url, body, { timeoutMs: this.#options.requestTimeoutMs ?? 20_000 });
    } finally {
      this.#inFlight--;
      this.#slotWaiters.shift()?.();
    }
  }

  async #slot(): Promise<void> {
    while (this.#inFlight >= (this.#options.maxConcurrent ?? 64) && !this.#stopped) {
      await new Promise<void>((resolve) => this.#slotWaiters.push(resolve));
    }
    this.#inFlight++;
  }

  #backOff(pusherId: number, state: SenderState): void {
    const delay = state.backoffMs;
    state.backoffMs = Math.min(delay * 2, this.#options.maxBackoffMs ?? 3_600_000);
    state.retry = setTimeout(() => {
      state.retry = undefined;
      this.wake(pusherId);
    }, delay);
  }
}
