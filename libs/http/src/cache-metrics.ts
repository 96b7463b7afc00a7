// The in-memory caches of a process, as Prometheus series: every bounded cache a role or library
// keeps registers how to read its size here, and each scrape reads them all (`cache_entries`,
// `cache_size` in the cache's own unit, `cache_max_size`, the bound it never exceeds), so an
// operator sees what the process holds and how close each cache is to its bound.
import { Gauge, type Registry } from './prometheus.ts';

/** A cache's size at one moment. */
export interface CacheStats {
  /** Keys held. */
  readonly entries: number;
  /** What the bound counts (entries, or e.g. state entries summed over cached groups). Default: entries. */
  readonly size?: number;
  /** The bound `size` never exceeds. */
  readonly maxSize: number;
}

/** Where a process's caches report their sizes (ProcessMetrics.caches). */
export class CacheMetrics {
  readonly #sources = new Map<string, Array<() => CacheStats>>();

  constructor(registry: Registry) {
    const snapshot = () => this.snapshot();
    const series = (name: string, help: string, read: (stats: Required<CacheStats>) => number) =>
      new Gauge({
        name,
        help,
        labelNames: ['cache'] as const,
        registers: [registry],
        collect() {
          this.reset();
          for (const [cache, stats] of snapshot()) this.set({ cache }, read(stats));
        },
      });
    series('cache_entries', 'Keys held by each in-memory cache of this process', (s) => s.entries);
    series('cache_size', "Size of each in-memory cache, in the unit its bound counts (entries unless the cache weighs them)", (s) => s.size);
    series('cache_max_size', 'The bound each in-memory cache keeps its size under', (s) => s.maxSize);
  }

  /**
   * Reports the cache `name` at each scrape. Caches registered under one name (one per room
   * formatter, say) are reported summed.
   */
  register(name: string, stats: () => CacheStats): void {
    const list = this.#sources.get(name) ?? [];
    list.push(stats);
    this.#sources.set(name, list);
  }

  /** Every registered cache, same-named ones summed. */
  snapshot(): Array<[string, Required<CacheStats>]> {
    return [...this.#sources].map(([name, list]) => {
      const all = list.map((read) => read());
      const sum = (pick: (s: CacheStats) => number) => all.reduce((total, s) => total + pick(s), 0);
      return [name, { entries: sum((s) => s.entries), size: sum((s) => s.size ?? s.entries), maxSize: sum((s) => s.maxSize) }];
    });
  }
}
