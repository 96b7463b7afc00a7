// BatchedLookup: keys asked together share one fetch, each caller gets its own key's answer,
// and a key asked while a fetch runs is answered by a later fetch (never by an older one).
import { describe, expect, it } from 'vitest';
import { BatchedLookup } from './batched-lookup.ts';

/** A fetch that records each call's keys and answers when the test releases it. */
function gatedFetch(values: Record<string, number>) {
  const calls: string[][] = [];
  const gates: Array<() => void> = [];
  const fetch = async (keys: readonly string[]) => {
    calls.push([...keys]);
    await new Promise<void>((resolve) => gates.push(resolve));
    return new Map(keys.filter((k) => k in values).map((k) => [k, values[k]!]));
  };
  return { calls, gates, fetch };
}

const until = async (condition: () => boolean) => {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
};

describe('BatchedLookup', () => {
  it('answers keys asked in the same turn with one fetch, each its own value, absent keys undefined', async () => {
    const { calls, gates, fetch } = gatedFetch({ a: 1, b: 2 });
    const lookup = new BatchedLookup(fetch, (k: string) => k);
    const answers = Promise.all([lookup.load('a'), lookup.load('b'), lookup.load('a'), lookup.load('zz')]);
    await until(() => calls.length === 1);
    expect(calls).toEqual([['a', 'b', 'zz']]);
    gates.shift()!();
    expect(await answers).toEqual([1, 2, 1, undefined]);
  });

  it('answers a key asked while a fetch is in flight with a later fetch', async () => {
    const { calls, gates, fetch } = gatedFetch({ a: 1 });
    const lookup = new BatchedLookup(fetch, (k: string) => k, { maxInFlight: 1 });
    const first = lookup.load('a');
    await until(() => calls.length === 1);
    const second = lookup.load('a');
    const third = lookup.load('b');
    gates.shift()!();
    expect(await first).toBe(1);
    await until(() => calls.length === 2);
    expect(calls[1]).toEqual(['a', 'b']);
    gates.shift()!();
    expect(await Promise.all([second, third])).toEqual([1, undefined]);
  });

  it('splits more keys than maxKeys over several fetches', async () => {
    const sizes: number[] = [];
    const counted = new BatchedLookup(async (keys: readonly number[]) => {
      sizes.push(keys.length);
      return new Map(keys.map((k) => [String(k), k * 10]));
    }, String, { maxKeys: 3 });
    expect(await Promise.all([1, 2, 3, 4, 5, 6, 7].map((k) => counted.load(k)))).toEqual([10, 20, 30, 40, 50, 60, 70]);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(7);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(3);
  });

  it('fails every caller of a failed fetch, and later keys fetch again', async () => {
    let fail = true;
    const lookup = new BatchedLookup(async (keys: readonly string[]) => {
      if (fail) throw new Error('database down');
      return new Map(keys.map((k) => [k, k.length]));
    }, (k: string) => k);
    const failed = await Promise.allSettled([lookup.load('x'), lookup.load('yy')]);
    expect(failed.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    expect(await lookup.load('yy')).toBe(2);
  });
});
