// A size-bounded LRU map shared by the roles' in-memory caches (sync's state groups, the
// push-actions hook's room contexts, room versions of the event formatters). Each reports its
// size through stats(), which a process registers in its metrics (ProcessMetrics.caches).

/**
 * A least-recently-used map bounded by total weight (entries count 1 unless `weigh` says
 * otherwise). Map iteration order is insertion order, so a hit re-inserts to move to the end.
 */
export class BoundedCache<K, V> {
  readonly #map = new Map<K, { value: V; weight: number }>();
  readonly #maxWeight: number;
  readonly #weigh: (value: V) => number;
  #weight = 0;

  constructor(maxWeight: number, weigh: (value: V) => number = () => 1) {
    this.#maxWeight = maxWeight;
    this.#weigh = weigh;
  }

  get size(): number {
    return this.#map.size;
  }

  /** Entries held, their total weight, and the bound that weight never exceeds (for cache_* metrics). */
  stats(): { entries: number; size: number; maxSize: number } {
    return { entries: this.#map.size, size: this.#weight, maxSize: this.#maxWeight };
  }

  get(key: K): V | undefined {
    const hit = this.#map.get(key);
    if (!hit) return undefined;
    this.#map.delete(key);
    this.#map.set(key, hit);
    return hit.value;
  }

  delete(key: K): void {
    const old = this.#map.get(key);
    if (!old) return;
    this.#map.delete(key);
    this.#weight -= old.weight;
  }

  set(key: K, value: V): void {
    const weight = Math.max(1, this.#weigh(value));
    const old = this.#map.get(key);
    if (old) {
      this.#weight -= old.weight;
      this.#map.delete(key);
    }
    // Something heavier than the whole budget is not worth evicting everything for.
    if (weight > this.#maxWeight) return;
    this.#map.set(key, { value, weight });
    this.#weight += weight;
    for (const [oldest, entry] of this.#map) {
      if (this.#weight <= this.#maxWeight) break;
      this.#map.delete(oldest);
      this.#weight -= entry.weight;
    }
  }

  /** Removes every entry `doomed` picks by key or value (a scan: for rare invalidations). */
  deleteWhere(doomed: (key: K, value: V) => boolean): void {
    for (const [key, entry] of this.#map) {
      if (!doomed(key, entry.value)) continue;
      this.#map.delete(key);
      this.#weight -= entry.weight;
    }
  }
}
