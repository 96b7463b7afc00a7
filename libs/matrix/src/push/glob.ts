// Glob matching for push rules (appendices: "Glob-style matching"): `*` matches any run of
// characters, `?` exactly one; matching is case-insensitive. For content.body the match may
// be any substring that starts and ends at a word boundary.

export interface GlobOptions {
  /** Match a substring bounded by word boundaries instead of the whole value. Default: false. */
  wordBoundary?: boolean;
}

// Compiled patterns are reused across events; bounded so hostile patterns cannot grow it forever.
const cache = new Map<string, RegExp>();
const CACHE_LIMIT = 2000;

export function globToRegExp(pattern: string, options: GlobOptions = {}): RegExp {
  const wordBoundary = options.wordBoundary === true;
  const cacheKey = `${wordBoundary ? 'w' : 'e'}${pattern}`;
  const cached = cache.get(cacheKey);
  if (cached !== undefined) return cached;
  let body = '';
  for (const char of pattern) {
    if (char === '*') body += '.*';
    else if (char === '?') body += '.';
    else body += escapeRegExp(char);
  }
  const source = wordBoundary ? `(?:^|\\W|\\b)(?:${body})(?:\\b|\\W|$)` : `^(?:${body})$`;
  const regex = new RegExp(source, 'isu');
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(cacheKey, regex);
  return regex;
}

export function globMatches(pattern: string, value: string, options: GlobOptions = {}): boolean {
  return globToRegExp(pattern, options).test(value);
}

/** Literal (non-glob) match at word boundaries, used for display names. */
export function containsAtWordBoundary(haystack: string, needle: string): boolean {
  return new RegExp(`(?:^|\\W|\\b)(?:${escapeRegExp(needle)})(?:\\b|\\W|$)`, 'isu').test(haystack);
}

// Only syntax characters may be escaped in unicode-mode regular expressions.
function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
