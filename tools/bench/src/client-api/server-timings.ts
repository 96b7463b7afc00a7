// The server's own time for one route, from its http_request_duration_seconds histogram (two
// /metrics pages, before and after a run): which part of a latency the server spent, apart from
// the client's and the shared machine's, in the histogram's buckets; and its garbage
// collections between the two pages.

/** Requests of the route by bucket bound (seconds, cumulative), summed over status labels. */
function routeBuckets(page: string, method: string, routeIncludes: string): Map<number, number> {
  const buckets = new Map<number, number>();
  for (const line of page.split('\n')) {
    if (!line.startsWith('http_request_duration_seconds_bucket{')) continue;
    if (!line.includes(`method="${method}"`) || !(/route="([^"]*)"/.exec(line)?.[1] ?? '').includes(routeIncludes)) continue;
    const le = /le="([^"]+)"/.exec(line)?.[1];
    if (le === undefined) continue;
    const bound = le === '+Inf' ? Infinity : Number(le);
    buckets.set(bound, (buckets.get(bound) ?? 0) + Number(line.slice(line.lastIndexOf(' ') + 1)));
  }
  return buckets;
}

/** "97.1% within 10 ms, 99.8% within 25 ms, ... of N requests" for the requests between the two pages. */
export function serverTimeShares(before: string, after: string, method: string, routeIncludes: string): string {
  const from = routeBuckets(before, method, routeIncludes);
  const to = routeBuckets(after, method, routeIncludes);
  const counts = [...to].map(([bound, n]): [number, number] => [bound, n - (from.get(bound) ?? 0)]).sort((a, b) => a[0] - b[0]);
  const total = counts.find(([bound]) => bound === Infinity)?.[1] ?? 0;
  if (total === 0) return 'no requests counted';
  const shares: string[] = [];
  for (const [bound, n] of counts) {
    if (bound === Infinity) break;
    shares.push(`${((100 * n) / total).toFixed(1)}% within ${bound * 1000} ms`);
    if (n === total) break;
  }
  return `${shares.join(', ')} of ${total} requests`;
}

/** Sums of a histogram's `_count` and `_sum` series by one label, from a /metrics page. */
function histogramTotals(page: string, name: string, label: string): Map<string, { count: number; sum: number }> {
  const totals = new Map<string, { count: number; sum: number }>();
  for (const line of page.split('\n')) {
    const part = line.startsWith(`${name}_count{`) ? 'count' : line.startsWith(`${name}_sum{`) ? 'sum' : undefined;
    if (part === undefined) continue;
    const key = new RegExp(`${label}="([^"]*)"`).exec(line)?.[1] ?? '';
    const entry = totals.get(key) ?? { count: 0, sum: 0 };
    entry[part] += Number(line.slice(line.lastIndexOf(' ') + 1));
    totals.set(key, entry);
  }
  return totals;
}

/** "minor 310 in 95 ms, major 2 in 21 ms": the server's garbage collections between the two pages, by kind. */
export function serverGcShares(before: string, after: string): string {
  const from = histogramTotals(before, 'nodejs_gc_duration_seconds', 'kind');
  const parts: string[] = [];
  for (const [kind, to] of histogramTotals(after, 'nodejs_gc_duration_seconds', 'kind')) {
    const count = to.count - (from.get(kind)?.count ?? 0);
    if (count > 0) parts.push(`${kind} ${count} in ${((to.sum - (from.get(kind)?.sum ?? 0)) * 1000).toFixed(0)} ms`);
  }
  return parts.length === 0 ? 'none' : parts.join(', ');
}
