// Dormancy's switch: quiet time puts the process to sleep, a request wakes it and waits for the
// wake, requests arriving mid-switch wait for it, and a failed wake is retried by the next one.
import { afterEach, describe, expect, it } from 'vitest';
import { Dormancy } from './dormancy.ts';

/** A promise with its resolve and reject at hand (a switch the test finishes when it wants). */
function gate(): { promise: Promise<void>; open: () => void; fail: (error: Error) => void } {
  let open!: () => void;
  let fail!: (error: Error) => void;
  const promise = new Promise<void>((resolve, reject) => {
    open = resolve;
    fail = reject;
  });
  return { promise, open, fail };
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
}

describe('Dormancy', () => {
  const made: Dormancy[] = [];
  afterEach(async () => {
    for (const dormancy of made.splice(0)) await dormancy.stop();
  });

  function dormancy(steps: { sleep?: () => Promise<void>; wake?: () => Promise<void> } = {}) {
    const log: string[] = [];
    const d = new Dormancy({
      afterMs: 0,
      sleep: async () => {
        log.push('sleep');
        await steps.sleep?.();
      },
      wake: async () => {
        log.push('wake');
        await steps.wake?.();
      },
    });
    made.push(d);
    return { d, log };
  }

  it('sleeps once no request has been in progress for a while, and a request wakes it before going on', async () => {
    const { d, log } = dormancy();
    await until(() => d.dormant);
    const release = await d.hold();
    expect(log).toEqual(['sleep', 'wake']);
    expect(d.dormant).toBe(false);
    release();
    await until(() => d.dormant);
    expect(log).toEqual(['sleep', 'wake', 'sleep']);
  });

  it('stays awake while any request holds it', async () => {
    const { d, log } = dormancy();
    const first = await d.hold();
    const second = await d.hold();
    first();
    // Timers of one duration fire in the order set: a sleep armed by that release would be due first.
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(d.dormant).toBe(false);
    second();
    await until(() => d.dormant);
    expect(log).toEqual(['sleep']);
  });

  it('makes a request arriving while it falls asleep wait for the sleep to end and the wake after it', async () => {
    const sleeping = gate();
    const { d, log } = dormancy({ sleep: () => sleeping.promise });
    await until(() => log.length === 1);
    let woken = false;
    const held = d.hold().then((release) => {
      woken = true;
      return release;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(woken).toBe(false);
    sleeping.open();
    const release = await held;
    expect(log).toEqual(['sleep', 'wake']);
    release();
  });

  it('makes requests arriving during a wake wait for that one wake', async () => {
    const waking = gate();
    const { d, log } = dormancy({ wake: () => waking.promise });
    await until(() => d.dormant);
    const holds = [d.hold(), d.hold(), d.hold()];
    await until(() => log.length === 2);
    waking.open();
    const releases = await Promise.all(holds);
    expect(log).toEqual(['sleep', 'wake']);
    for (const release of releases) release();
  });

  it('fails the request whose wake failed and wakes for the next one', async () => {
    let failures = 1;
    const { d, log } = dormancy({
      wake: async () => {
        if (failures-- > 0) throw new Error('writers unreachable');
      },
    });
    await until(() => d.dormant);
    await expect(d.hold()).rejects.toThrow('writers unreachable');
    expect(d.dormant).toBe(true);
    const release = await d.hold();
    expect(log).toEqual(['sleep', 'wake', 'wake']);
    expect(d.dormant).toBe(false);
    release();
  });
});
