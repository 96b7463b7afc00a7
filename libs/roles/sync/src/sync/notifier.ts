// Wakes long-polling /sync requests when a stream advances, keyed narrowly: `room:<id>` for
// room events, typing and receipts (members listen on their rooms), `user:<id>` for a user's
// own streams (to-device, account data, invites). Every notify bumps a sequence number, so a
// request that computed an empty answer can tell whether something arrived meanwhile and
// recompute instead of sleeping through it (no lost wake-ups, no polling).

export interface NotifierWaitOptions {
  /** Resolve 'timeout' after this long. Required. */
  readonly timeoutMs: number;
  /** Anything notified on these keys after this sequence number wakes at once. Required. */
  readonly afterSeq: number;
  /** Aborts the wait (client went away). Default: none. */
  readonly signal?: AbortSignal;
}

export function roomKey(roomId: string): string {
  return `room:${roomId}`;
}

export function userKey(userId: string): string {
  return `user:${userId}`;
}

export class Notifier {
  #seq = 0;
  #lastSeq = new Map<string, number>();
  #listeners = new Map<string, Set<() => void>>();

  /** The sequence number of the latest notify. */
  get seq(): number {
    return this.#seq;
  }

  /** How many requests are waiting (for metrics and tests). */
  get waiting(): number {
    const all = new Set<() => void>();
    for (const set of this.#listeners.values()) for (const listener of set) all.add(listener);
    return all.size;
  }

  /**
   * Forgets which keys were notified when (one entry per room and user ever notified). Only
   * while nobody waits: a wait started later passes the sequence number it read, so older
   * notifications are behind it anyway.
   */
  forgetPast(): void {
    if (this.#listeners.size === 0) this.#lastSeq.clear();
  }

  notify(keys: Iterable<string>): void {
    this.#seq++;
    const woken = new Set<() => void>();
    for (const key of keys) {
      this.#lastSeq.set(key, this.#seq);
      for (const listener of this.#listeners.get(key) ?? []) woken.add(listener);
    }
    for (const listener of woken) listener();
  }

  /** Resolves 'notified' when one of `keys` is notified (or was after afterSeq), else 'timeout'. */
  wait(keys: readonly string[], options: NotifierWaitOptions): Promise<'notified' | 'timeout'> {
    if (keys.some((key) => (this.#lastSeq.get(key) ?? 0) > options.afterSeq)) return Promise.resolve('notified');
    if (options.signal?.aborted) return Promise.resolve('timeout');
    return new Promise((resolve) => {
      const finish = (outcome: 'notified' | 'timeout') => {
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        for (const key of keys) {
          const set = this.#listeners.get(key);
          set?.delete(listener);
          if (set?.size === 0) this.#listeners.delete(key);
        }
        resolve(outcome);
      };
      const listener = () => finish('notified');
      const onAbort = () => finish('timeout');
      const timer = setTimeout(() => finish('timeout'), options.timeoutMs);
      options.signal?.addEventListener('abort', onAbort);
      for (const key of keys) {
        const set = this.#listeners.get(key) ?? new Set();
        set.add(listener);
        this.#listeners.set(key, set);
      }
    });
  }
}
