import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rate-limiter.ts';

describe('RateLimiter', () => {
  it('allows a burst, then refuses with the time until one action drains', () => {
    let now = 0;
    const limiter = new RateLimiter({ per_second: 0.5, burst_count: 3 }, { now: () => now });
    expect([limiter.check('a'), limiter.check('a'), limiter.check('a')]).toEqual([0, 0, 0]);
    expect(limiter.check('a')).toBe(2000);
    expect(limiter.check('b')).toBe(0);
    now = 1000;
    expect(limiter.check('a')).toBe(1000);
    now = 2000;
    expect(limiter.check('a')).toBe(0);
    expect(limiter.check('a')).toBe(2000);
  });

  it('checks without recording when asked, and records separately', () => {
    let now = 0;
    const limiter = new RateLimiter({ per_second: 1, burst_count: 1 }, { now: () => now });
    expect(limiter.check('k', { update: false })).toBe(0);
    expect(limiter.check('k', { update: false })).toBe(0);
    limiter.record('k');
    expect(limiter.check('k', { update: false })).toBe(1000);
    limiter.reset('k');
    expect(limiter.check('k')).toBe(0);
    now = 500;
    expect(limiter.check('k')).toBe(500);
  });

  it('refuses forever when nothing drains and rejects negative settings', () => {
    const limiter = new RateLimiter({ per_second: 0, burst_count: 0 });
    expect(limiter.check('x')).toBe(Number.POSITIVE_INFINITY);
    expect(() => new RateLimiter({ per_second: -1, burst_count: 1 })).toThrow(/per_second=-1/);
  });
});
