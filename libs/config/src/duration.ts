// Synapse's duration values (`turn_user_lifetime: 1h`): a number is milliseconds, a string is
// digits with an optional unit (ms, s, m, h, d, w, y; none means milliseconds). The schema has
// already checked the shape, so this only converts.
import type { DurationConfig } from './schema.ts';

const UNIT_MS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 7 * 86_400_000,
  y: 365 * 86_400_000,
};

/** Milliseconds of a duration value; `fallback` when the key is absent. */
export function durationMs(value: DurationConfig | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value === 'number') return value;
  const match = /^([0-9]+)(ms|s|m|h|d|w|y)?$/.exec(value);
  if (!match) throw new TypeError(`duration ${JSON.stringify(value)} is not digits with an optional unit (ms, s, m, h, d, w, y)`);
  return Number(match[1]) * UNIT_MS[match[2] ?? 'ms']!;
}
