// The federation block's retry keys: Synapse's names and units, refused with the key named when wrong.
import type { HomeserverConfig } from '@homeserver/config';
import { validateConfig } from '@homeserver/config/validate';
import { describe, expect, it } from 'vitest';
import { retryScheduleOf } from './role-module.ts';

const withBlock = (federation: Record<string, unknown>) => ({ config: { file: validateConfig({ server_name: 'x.test', federation }, 'homeserver.yaml') } as HomeserverConfig });

describe('federation retry schedule config', () => {
  it("reads Synapse's keys and durations, defaulting to Synapse's values", () => {
    expect(retryScheduleOf(withBlock({}))).toEqual({ minMs: 600_000, multiplier: 2, maxMs: 7 * 86_400_000 });
    expect(retryScheduleOf(withBlock({ destination_min_retry_interval: '30s', destination_retry_multiplier: 5, destination_max_retry_interval: '1d' }))).toEqual({
      minMs: 30_000,
      multiplier: 5,
      maxMs: 86_400_000,
    });
  });

  it('refuses a cap below the minimum, an unknown key and a bad multiplier, naming the key', () => {
    expect(() => retryScheduleOf(withBlock({ destination_min_retry_interval: '1h', destination_max_retry_interval: '1m' }))).toThrow(/"federation.destination_max_retry_interval"/);
    expect(() => withBlock({ destination_retry_interval: '1h' })).toThrow(/key "federation" .*destination_retry_interval/);
    expect(() => withBlock({ destination_retry_multiplier: 0 })).toThrow(/federation.destination_retry_multiplier/);
  });
});
