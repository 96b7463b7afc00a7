import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_SCHEDULE, nextRetryInterval } from './retry-schedule.ts';

describe('nextRetryInterval', () => {
  it('waits the minimum after the first failure', () => {
    expect(nextRetryInterval(0, DEFAULT_RETRY_SCHEDULE)).toBe(10 * 60_000);
  });

  it('multiplies by the multiplier times a factor in [0.8, 1.4)', () => {
    expect(nextRetryInterval(600_000, DEFAULT_RETRY_SCHEDULE, () => 0)).toBe(960_000);
    expect(nextRetryInterval(600_000, DEFAULT_RETRY_SCHEDULE, () => 0.5)).toBe(1_320_000);
  });

  it('grows from minutes to the cap and stays there', () => {
    let wait = 0;
    const waits: number[] = [];
    for (let i = 0; i < 20; i++) waits.push((wait = nextRetryInterval(wait, DEFAULT_RETRY_SCHEDULE, () => 0.5)));
    expect(waits[1]!).toBeGreaterThan(waits[0]!);
    expect(waits.at(-1)).toBe(DEFAULT_RETRY_SCHEDULE.maxMs);
    expect(waits.every((w) => w <= DEFAULT_RETRY_SCHEDULE.maxMs)).toBe(true);
  });

  it('never waits less than the minimum, even with a multiplier below 1', () => {
    expect(nextRetryInterval(60_000, { minMs: 60_000, multiplier: 0.5, maxMs: 3_600_000 }, () => 0)).toBe(60_000);
  });
});
