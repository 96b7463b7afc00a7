// The text exposition /metrics serves: exact lines for counters, gauges and histograms, label
// escaping, the registry's labels after a series' own, collect run at each render, and mistakes
// (an undeclared label, a negative increment, a name registered twice) refused.
import { describe, expect, it } from 'vitest';
import { registerNodeMetrics } from './node-metrics.ts';
import { Counter, Gauge, Histogram, Registry } from './prometheus.ts';

function registry(): Registry {
  const r = new Registry();
  r.setDefaultLabels({ worker_name: 'w1' });
  return r;
}

describe('prometheus registry', () => {
  it('renders a counter with HELP, TYPE and one line per label set, the default labels last', async () => {
    const r = registry();
    const c = new Counter({ name: 'requests_total', help: 'Requests\nby outcome', labelNames: ['outcome'], registers: [r] });
    c.inc({ outcome: 'ok' });
    c.inc({ outcome: 'ok' }, 2);
    c.inc({ outcome: 'failed' });
    expect(await r.metrics()).toBe(
      '# HELP requests_total Requests\\nby outcome\n# TYPE requests_total counter\n' +
        'requests_total{outcome="ok",worker_name="w1"} 3\nrequests_total{outcome="failed",worker_name="w1"} 1\n',
    );
  });

  it('escapes label values and renders special values as Prometheus spells them', async () => {
    const r = new Registry();
    const g = new Gauge({ name: 'g', help: 'h', labelNames: ['path'], registers: [r] });
    g.set({ path: 'a"b\\c\nd' }, -1.5);
    g.set({ path: 'inf' }, Infinity);
    g.set({ path: 'nan' }, NaN);
    expect(await r.getSingleMetricAsString('g')).toBe('# HELP g h\n# TYPE g gauge\ng{path="a\\"b\\\\c\\nd"} -1.5\ng{path="inf"} +Inf\ng{path="nan"} NaN\n');
  });

  it('renders a histogram\'s buckets cumulatively, then +Inf, sum and count', async () => {
    const r = registry();
    const h = new Histogram({ name: 'latency_seconds', help: 'h', labelNames: ['route'], buckets: [0.1, 0.01, 1], registers: [r] });
    for (const v of [0.005, 0.05, 0.05, 0.5, 3]) h.observe({ route: '/a' }, v);
    expect(await r.metrics()).toBe(
      [
        '# HELP latency_seconds h',
        '# TYPE latency_seconds histogram',
        'latency_seconds_bucket{le="0.01",route="/a",worker_name="w1"} 1',
        'latency_seconds_bucket{le="0.1",route="/a",worker_name="w1"} 3',
        'latency_seconds_bucket{le="1",route="/a",worker_name="w1"} 4',
        'latency_seconds_bucket{le="+Inf",route="/a",worker_name="w1"} 5',
        'latency_seconds_sum{route="/a",worker_name="w1"} 3.605',
        'latency_seconds_count{route="/a",worker_name="w1"} 5',
        '',
      ].join('\n'),
    );
  });

  it('runs collect before each render, with the metric as this', async () => {
    const r = new Registry();
    let reads = 0;
    new Gauge({
      name: 'queue_depth',
      help: 'h',
      labelNames: ['queue'],
      registers: [r],
      collect() {
        reads += 1;
        this.reset();
        if (reads === 1) this.set({ queue: 'a' }, 5);
        this.set({ queue: 'b' }, reads);
      },
    });
    expect(await r.metrics()).toContain('queue_depth{queue="a"} 5\nqueue_depth{queue="b"} 1\n');
    const second = await r.metrics();
    expect(second).not.toContain('queue="a"');
    expect(second).toContain('queue_depth{queue="b"} 2\n');
  });

  it('refuses an undeclared label, a negative increment, a bad name and a name registered twice', () => {
    const r = new Registry();
    const c = new Counter({ name: 'c_total', help: 'h', labelNames: ['a'], registers: [r] });
    expect(() => c.inc({ b: 'x' } as never)).toThrow(/label "b"/);
    expect(() => c.inc(-1)).toThrow(/cannot add -1/);
    expect(() => new Gauge({ name: 'bad-name', help: 'h' })).toThrow(/invalid metric name/);
    expect(() => new Gauge({ name: 'c_total', help: 'h', registers: [r] })).toThrow(/already registered/);
    expect(() => new Histogram({ name: 'h', help: 'h', labelNames: ['le'], buckets: [1] })).toThrow(/"le"/);
  });

  it('serves Node\'s process metrics under the usual names, with plausible values', async () => {
    const r = registry();
    registerNodeMetrics(r);
    const text = await r.metrics();
    const value = (name: string) => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text)?.[1]);
    expect(value('process_resident_memory_bytes')).toBeGreaterThan(1 << 20);
    expect(value('nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
    expect(value('nodejs_heap_size_total_bytes')).toBeGreaterThanOrEqual(value('nodejs_heap_size_used_bytes'));
    expect(value('process_cpu_seconds_total')).toBeGreaterThan(0);
    expect(value('process_start_time_seconds')).toBeLessThanOrEqual(Date.now() / 1000);
    expect(value('process_open_fds')).toBeGreaterThan(2);
    expect(value('nodejs_eventloop_lag_p99_seconds')).toBeGreaterThanOrEqual(0);
    expect(value('nodejs_active_resources_total')).toBeGreaterThan(0);
    expect(text).toContain(`nodejs_version_info{version="${process.version}"`);
    expect(text).toContain('# TYPE nodejs_gc_duration_seconds histogram\n');
  });

  it('reports how late the event loop ran its samples, not the sampling interval', async () => {
    const r = registry();
    registerNodeMetrics(r);
    const lag = async (name: string) => Number(/ (\S+)$/.exec((await r.getSingleMetricAsString(name)).trim())?.[1]);
    await new Promise((resolve) => setTimeout(resolve, 2200));
    // Idle: the samples (one a second) ran on time, give or take a loaded machine's scheduling.
    expect(await lag('nodejs_eventloop_lag_max_seconds')).toBeLessThan(0.5);
    // A stall longer than the interval holds up the sample due during it.
    const stalled = performance.now();
    while (performance.now() - stalled < 1200);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(await lag('nodejs_eventloop_lag_max_seconds')).toBeGreaterThan(0.1);
  }, 15_000);
});
