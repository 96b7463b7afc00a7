// Lease renewals of several consumers asked for in one turn go to PostgreSQL in one statement,
// and each consumer learns which of its own leases were extended.
import { takeShardLease, type Database } from '@homeserver/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { everyTogether, renewTogether } from './together.ts';
import { eventually, Harness } from './testing/harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await Harness.open();
});
afterAll(() => h.close());

/** The harness's database, recording the statements that renew leases. */
function counting(db: Database, seen: string[]): Database {
  return new Proxy(db, {
    get(target, property) {
      if (property === 'query') {
        return (sql: string, params?: unknown[]) => {
          if (sql.includes('UPDATE stream_consumer_leases l SET expires_at')) seen.push(sql);
          return target.query(sql, params);
        };
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

describe('renewTogether', () => {
  it('renews the leases of several consumers asked for in one turn with one statement, each told of its own', async () => {
    const lease = async (consumer: string, shard: number, holder: string) => ({ consumer, shard, holder, epoch: (await takeShardLease(h.db, { consumer, shard, holder }, 60_000))! });
    const a = [await lease('renew_a', 0, 'p1'), await lease('renew_a', 1, 'p1')];
    const b = [await lease('renew_b', 0, 'p1')];
    // A lease of b's shard 1 that another holder took since (its epoch moved on): not renewed.
    const lost = { ...(await lease('renew_b', 1, 'p2')), holder: 'p1' };
    const seen: string[] = [];
    const db = counting(h.db, seen);
    const [renewedA, renewedB] = await Promise.all([renewTogether(db, a, 60_000), renewTogether(db, [...b, lost], 60_000)]);
    expect(seen).toHaveLength(1);
    expect([...renewedA].sort()).toEqual([0, 1]);
    expect([...renewedB]).toEqual([0]);
  });
});

describe('everyTogether', () => {
  it('runs every callback of one period on one timer, in the same turn', async () => {
    const turns: Array<[string, number]> = [];
    let turn = 0;
    const marker = setInterval(() => turn++, 1);
    const stopA = everyTogether(20, () => turns.push(['a', turn]));
    const stopB = everyTogether(20, () => turns.push(['b', turn]));
    await eventually(() => turns.length >= 6, 3000, 'three ticks');
    stopA();
    stopB();
    clearInterval(marker);
    // Each tick ran a then b with no turn of the event loop between them.
    for (let i = 0; i + 1 < turns.length; i += 2) {
      expect(turns[i]![0]).toBe('a');
      expect(turns[i + 1]).toEqual(['b', turns[i]![1]]);
    }
  });
});
