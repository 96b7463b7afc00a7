// Point lookups that many requests make at once (an access token per request, a send's
// transaction ID) gathered into one statement: callers ask for one key each; the keys asked for
// in the same turn of the event loop, and while earlier statements are in flight, go to the
// database together. Under load a round trip serves a whole burst of requests (they arrive in
// bursts: a group commit answers many sends at once); alone, a key waits one setImmediate.
// The answer for a key is what a single-key statement would have given at about the same
// moment: nothing is cached between statements.

export interface BatchedLookupOptions {
  /** Statements in flight at once; keys asked for meanwhile wait for the next. Default: 2. */
  readonly maxInFlight?: number;
  /** Keys in one statement at most. Default: 256. */
  readonly maxKeys?: number;
}

interface Waiter<V> {
  resolve(value: V | undefined): void;
  reject(error: unknown): void;
}

export class BatchedLookup<K, V> {
  readonly #fetch: (keys: readonly K[]) => Promise<ReadonlyMap<string, V>>;
  readonly #keyOf: (key: K) => string;
  readonly #maxInFlight: number;
  readonly #maxKeys: number;
  /** Keys waiting for a statement, by their string form: one key asked twice is fetched once. */
  #pending = new Map<string, { key: K; waiters: Waiter<V>[] }>();
  #inFlight = 0;
  #scheduled = false;

  /**
   * `fetch` answers several keys in one statement, mapping `keyOf(key)` to the value of each
   * key found (absent keys are answered undefined).
   */
  constructor(fetch: (keys: readonly K[]) => Promise<ReadonlyMap<string, V>>, keyOf: (key: K) => string, options: BatchedLookupOptions = {}) {
    this.#fetch = fetch;
    this.#keyOf = keyOf;
    this.#maxInFlight = options.maxInFlight ?? 2;
    this.#maxKeys = options.maxKeys ?? 256;
  }

  load(key: K): Promise<V | undefined> {
    return new Promise<V | undefined>((resolve, reject) => {
      const id = this.#keyOf(key);
      const entry = this.#pending.get(id);
      if (entry) entry.waiters.push({ resolve, reject });
      else this.#pending.set(id, { key, waiters: [{ resolve, reject }] });
      this.#schedule();
    });
  }

  #schedule(): void {
    if (this.#scheduled || this.#inFlight >= this.#maxInFlight || this.#pending.size === 0) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      while (this.#inFlight < this.#maxInFlight && this.#pending.size > 0) this.#run(this.#take());
    });
  }

  #take(): Map<string, { key: K; waiters: Waiter<V>[] }> {
    if (this.#pending.size <= this.#maxKeys) {
      const all = this.#pending;
      this.#pending = new Map();
      return all;
    }
    const taken = new Map<string, { key: K; waiters: Waiter<V>[] }>();
    for (const [id, entry] of this.#pending) {
      if (taken.size >= this.#maxKeys) break;
      taken.set(id, entry);
      this.#pending.delete(id);
    }
    return taken;
  }

  #run(batch: Map<string, { key: K; waiters: Waiter<V>[] }>): void {
    this.#inFlight++;
    this.#fetch([...batch.values()].map((entry) => entry.key))
      .then(
        (found) => {
          for (const [id, entry] of batch) for (const waiter of entry.waiters) waiter.resolve(found.get(id));
        },
        (error: unknown) => {
          for (const entry of batch.values()) for (const waiter of entry.waiters) waiter.reject(error);
        },
      )
      .finally(() => {
        this.#inFlight--;
        this.#schedule();
      });
  }
}
