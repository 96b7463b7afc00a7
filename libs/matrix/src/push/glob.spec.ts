import { describe, expect, it } from 'vitest';
import { containsAtWordBoundary, globMatches } from './glob.ts';

describe('glob matching', () => {
  it('matches whole values case-insensitively (spec example lunc?*)', () => {
    for (const v of ['Lunch plans', 'LUNCH', 'lunc!']) expect(globMatches('lunc?*', v)).toBe(true);
    for (const v of [' lunch', 'lunc']) expect(globMatches('lunc?*', v)).toBe(false);
  });

  it('treats regex metacharacters literally and ? as one code point', () => {
    expect(globMatches('a.b', 'a.b')).toBe(true);
    expect(globMatches('a.b', 'axb')).toBe(false);
    expect(globMatches('(x)[y]{z}|+^$\\/-', '(x)[y]{z}|+^$\\/-')).toBe(true);
    expect(globMatches('?', '😀')).toBe(true);
    expect(globMatches('*', '')).toBe(true);
    expect(globMatches('a*', 'a\nb')).toBe(true);
  });

  it('matches substrings at word boundaries for content.body (spec example ex*ple)', () => {
    for (const v of ['An example event.', 'exple', 'An exciting triple-whammy']) {
      expect(globMatches('ex*ple', v, { wordBoundary: true })).toBe(true);
    }
    expect(globMatches('cake', 'I like cakes', { wordBoundary: true })).toBe(false);
    expect(globMatches('cake', 'cake_lover', { wordBoundary: true })).toBe(false);
    expect(globMatches('cake', 'a (cake)!', { wordBoundary: true })).toBe(true);
  });

  it('finds display names literally at word boundaries', () => {
    expect(containsAtWordBoundary('hey Alice M., look', 'alice m.')).toBe(true);
    expect(containsAtWordBoundary('malice', 'alice')).toBe(false);
    expect(containsAtWordBoundary('hi a*b', 'a*b')).toBe(true);
    expect(containsAtWordBoundary('hi axxb', 'a*b')).toBe(false);
  });
});
