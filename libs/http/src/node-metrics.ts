// Node's process metrics, under the names Prometheus' Node clients use (process_*, nodejs_*),
// read at scrape time: CPU, resident memory, V8's heap, open file descriptors, event-loop delay,
// garbage collections, active resources, Node's version. Between scrapes only the event-loop
// delay is sampled (Node's own timer, see EVENT_LOOP_SAMPLE_MS) and each GC is timed.
import { readdirSync } from 'node:fs';
import { constants, monitorEventLoopDelay, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import { Counter, Gauge, Histogram, type Registry } from './prometheus.ts';

/**
 * How often the event-loop delay is sampled. Sampling every 10 ms wakes an idle process 100
 * times a second, ~0.25% of a core for nothing on a worker that otherwise sleeps, and every
 * 100 ms still cost ~0.08% (measured on a bare Node 24 process, against ~0.01% at one sample a
 * second: a sixth of an idle worker's 0.5% budget). One a second shows any stall of a second or
 * more, and shorter ones in proportion to their length.
 */
const EVENT_LOOP_SAMPLE_MS = 1000;

const NS_PER_S = 1e9;
const GC_KINDS: Readonly<Record<number, string>> = {
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb',
};

/** A gauge without labels whose value is read at each scrape. */
function readGauge(registry: Registry, name: string, help: string, read: () => number): void {
  new Gauge({ name, help, registers: [registry], collect() { this.set(read()); } });
}

function registerCpu(registry: Registry): void {
  const counter = (name: string, help: string, read: (usage: NodeJS.CpuUsage) => number) =>
    new Counter({ name, help, registers: [registry], collect() { this.reset(); this.inc(read(process.cpuUsage()) / 1e6); } });
  counter('process_cpu_user_seconds_total', 'CPU time this process spent in user mode, in seconds', (u) => u.user);
  counter('process_cpu_system_seconds_total', 'CPU time this process spent in the kernel, in seconds', (u) => u.system);
  counter('process_cpu_seconds_total', 'CPU time this process spent, user and kernel, in seconds', (u) => u.user + u.system);
}

function registerMemory(registry: Registry): void {
  const startTime = Date.now() / 1000 - process.uptime();
  readGauge(registry, 'process_start_time_seconds', 'When this process started, in seconds since the Unix epoch', () => startTime);
  readGauge(registry, 'process_resident_memory_bytes', 'Resident memory of this process, in bytes', () => process.memoryUsage.rss());
  readGauge(registry, 'nodejs_heap_size_total_bytes', "V8's heap, committed, in bytes", () => process.memoryUsage().heapTotal);
  readGauge(registry, 'nodejs_heap_size_used_bytes', "V8's heap, used, in bytes", () => process.memoryUsage().heapUsed);
  readGauge(registry, 'nodejs_external_memory_bytes', 'Memory of objects outside V8 bound to JavaScript ones (buffers), in bytes', () => process.memoryUsage().external);
  // Linux lists a process's descriptors in /proc; elsewhere the gauge is left out.
  try {
    readdirSync('/proc/self/fd');
    readGauge(registry, 'process_open_fds', 'Open file descriptors of this process', () => readdirSync('/proc/self/fd').length - 1);
  } catch {
    // No /proc.
  }
}

function registerEventLoop(registry: Registry): void {
  const delay = monitorEventLoopDelay({ resolution: EVENT_LOOP_SAMPLE_MS });
  delay.enable();
  // The monitor's values since the previous scrape; reset once the last of them is read. Node
  // records each sample as the whole time between two timer runs, the sampling interval
  // included: the lag is what exceeds the interval (a spread, the standard deviation, is not shifted).
  const intervalNs = EVENT_LOOP_SAMPLE_MS * 1e6;
  const late = (ns: number) => Math.max(0, ns - intervalNs);
  const series: Array<[string, string, () => number]> = [
    ['min', 'Shortest', () => late(delay.min)],
    ['max', 'Longest', () => late(delay.max)],
    ['mean', 'Mean', () => late(delay.mean)],
    ['stddev', 'Standard deviation of the', () => delay.stddev],
    ['p50', 'Median', () => late(delay.percentile(50))],
    ['p90', '90th percentile', () => late(delay.percentile(90))],
    ['p99', '99th percentile', () => late(delay.percentile(99))],
  ];
  series.forEach(([suffix, what, read], i) => {
    readGauge(registry, `nodejs_eventloop_lag_${suffix}_seconds`, `${what} event-loop delay since the previous scrape, in seconds (sampled every ${EVENT_LOOP_SAMPLE_MS} ms)`, () => {
      // No sample yet: the monitor reports its extremes (min as ~9.2e18 ns), read as 0.
      const value = delay.count === 0 ? 0 : read() / NS_PER_S;
      if (i === series.length - 1) delay.reset();
      return Number.isFinite(value) ? value : 0;
    });
  });
}

function registerGc(registry: Registry): void {
  const gc = new Histogram({ name: 'nodejs_gc_duration_seconds', help: 'Garbage collections by kind, timed, in seconds', labelNames: ['kind'], buckets: [0.001, 0.01, 0.1, 1, 2, 5], registers: [registry] });
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries() as Array<PerformanceEntry & { detail?: { kind?: number } }>) {
      gc.observe({ kind: GC_KINDS[entry.detail?.kind ?? -1] ?? 'other' }, entry.duration / 1000);
    }
  });
  observer.observe({ entryTypes: ['gc'] });
}

function registerResources(registry: Registry): void {
  new Gauge({
    name: 'nodejs_active_resources',
    help: 'Resources keeping the event loop alive (sockets, timers, requests in flight), by type',
    labelNames: ['type'],
    registers: [registry],
    collect() {
      this.reset();
      const counts = new Map<string, number>();
      for (const type of process.getActiveResourcesInfo()) counts.set(type, (counts.get(type) ?? 0) + 1);
      for (const [type, count] of counts) this.set({ type }, count);
    },
  });
  readGauge(registry, 'nodejs_active_resources_total', 'Resources keeping the event loop alive', () => process.getActiveResourcesInfo().length);
  const [major, minor, patch] = process.versions.node.split('.');
  new Gauge({ name: 'nodejs_version_info', help: 'Node version of this process', labelNames: ['version', 'major', 'minor', 'patch'], registers: [registry] }).set(
    { version: process.version, major: major ?? '', minor: minor ?? '', patch: patch ?? '' },
    1,
  );
}

/** Adds Node's process metrics to `registry`; call once per process. */
export function registerNodeMetrics(registry: Registry): void {
  registerCpu(registry);
  registerMemory(registry);
  registerEventLoop(registry);
  registerGc(registry);
  registerResources(registry);
}
