// BoundedCache keeps its total weight under its bound whatever is stored, evicts the least
// recently used first, and its size shows in the process's /metrics once registered.
import { createProcessMetrics } from '@homeserver/http';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BoundedCache } from './bounded-cache.ts';

describe('BoundedCache', () => {
  it('never holds more weight than its bound, whatever sequence of sets, gets and deletes', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('set' as const), key: fc.integer({ min: 0, max: 50 }), weight: fc.integer({ min: 0, max: 40 }) }),
      fc.record({ kind: fc.constant('get' as const), key: fc.integer({ min: 0, max: 50 }) }),
      fc.record({ kind: fc.constant('delete' as const), key: fc.integer({ min: 0, max: 50 }) }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100 }), fc.array(op, { maxLength: 300 }), (bound, ops) => {
        const cache = new BoundedCache<number, number>(bound, (weight) => weight);
        const held = new Map<number, number>();
        for (const o of ops) {
          if (o.kind === 'set') cache.set(o.key, o.weight);
          else if (o.kind === 'get') cache.get(o.key);
          else cache.delete(o.key);
          const stats = cache.stats();
          expect(stats.size).toBeLessThanOrEqual(bound);
          expect(stats.maxSize).toBe(bound);
          expect(stats.entries).toBe(cache.size);
        }
        // The weight it reports is the weight of what it holds (each entry weighs at least 1).
        for (let key = 0; key <= 50; key += 1) {
          const value = cache.get(key);
          if (value !== undefined) held.set(key, Math.max(1, value));
        }
        expect(cache.stats().size).toBe([...held.values()].reduce((a, b) => a + b, 0));
      }),
    );
  });

  it('evicts the least recently used entry first', () => {
    const cache = new BoundedCache<string, string>(2);
    cache.set('a', 'A');
    cache.set('b', 'B');
    cache.get('a');
    cache.set('c', 'C');
    expect([cache.get('a'), cache.get('b'), cache.get('c')]).toEqual(['A', undefined, 'C']);
  });

  it('shows its entries, size and bound in /metrics once registered', async () => {
    const metrics = createProcessMetrics({ workerName: 'w1', workerApp: 'sync' });
    const cache = new BoundedCache<string, string[]>(10, (members) => members.length);
    metrics.caches.register('room_members', () => cache.stats());
    cache.set('!a:x', ['@u:x', '@v:x', '@w:x']);
    cache.set('!b:x', ['@u:x']);
    const text = await metrics.registry.metrics();
    expect(text).toContain('cache_entries{cache="room_members",worker_name="w1",worker_app="sync"} 2\n');
    expect(text).toContain('cache_size{cache="room_members",worker_name="w1",worker_app="sync"} 4\n');
    expect(text).toContain('cache_max_size{cache="room_members",worker_name="w1",worker_app="sync"} 10\n');
    // Read afresh at each scrape.
    for (let i = 0; i < 20; i += 1) cache.set(`!r${i}:x`, ['@u:x']);
    expect(await metrics.registry.metrics()).toContain('cache_size{cache="room_members",worker_name="w1",worker_app="sync"} 10\n');
  });
});
