// Gives the heap back once a process goes quiet. V8 shrinks a heap grown under load only when
// its memory reducer runs, and that waits for a low allocation rate which the periodic timers
// of an idle server (heartbeats, lease renewals, pool reaping) never let it see: measured, the
// monolith kept ~136 MiB committed for ~49 MiB live 30 s after a load, and every idle worker
// ~3-15 MiB of garbage and unused pages from its start. So the process watches how much it
// allocates; once it has allocated little for long enough and its heap grew since it last did
// so, it runs one full, compacting collection (V8's "last resort" flavour, the one that gives
// freed pages back). Quiet is judged by the work the process does, not by its share of a core:
// the same idle timers take a larger share of a slow or loaded box (the PostgreSQL monolith
// never looked idle on one and kept 206-212 MiB after a load), while any request or message
// handled allocates far more than they do. A busy process is never interrupted, and an idle
// one collects once, not periodically.
import { PerformanceObserver, constants, type PerformanceEntry } from 'node:perf_hooks';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** What the release reads and does, injected by its spec. */
export interface HeapProbe {
  /** Bytes this process allocated on the heap so far (an estimate that only grows). */
  allocatedBytes(): number;
  /** Monotonic milliseconds. */
  nowMs(): number;
  /** Bytes the V8 heap has committed. */
  heapCommittedBytes(): number;
  /** One full, compacting collection. */
  collect(): void;
  /** Stops what the probe watches (nothing keeps the process alive meanwhile). */
  close(): void;
}

export interface IdleHeapReleaseOptions {
  /** How long the process must have been quiet before it collects (ms); 0 turns the release off. */
  readonly afterMs: number;
  /** Allocation rate (bytes a second) below which an interval counts as quiet. Default 1 MiB/s. */
  readonly quietBytesPerSecond?: number;
  /** Growth of the committed heap since the last release that makes another worth it. Default 2 MiB. */
  readonly minGrowthBytes?: number;
  /** Told the committed heap before and after each release (bytes). Default: nothing. */
  readonly onRelease?: (before: number, after: number) => void;
  /** Default: this process (its allocations, its heap, V8's gc). */
  readonly probe?: HeapProbe;
}

export interface IdleHeapCheck {
  /** One check: call it periodically (the timer of releaseHeapWhenIdle does). */
  check(): void;
}

/**
 * V8's gc function without starting node with --expose-gc: the flag is set only while one new
 * context is made, so no code of the process sees a global `gc`.
 */
function fullCollection(): () => void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as (options: { type: 'major'; execution: 'sync'; flavor: 'last-resort' }) => void;
  setFlagsFromString('--no-expose-gc');
  return () => gc({ type: 'major', execution: 'sync', flavor: 'last-resort' });
}

/** The young generation: where V8 allocates nearly every object, and its capacity. */
function youngGeneration(): { used: number; capacity: number } {
  const space = getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
  return space === undefined ? { used: 0, capacity: 0 } : { used: space.space_used_size, capacity: space.space_used_size + space.space_available_size };
}

/**
 * How much this process allocates, without a counter in V8's API: nearly every object is made
 * in the young generation, and each scavenge means it filled up. So the estimate adds the
 * young generation's capacity for each scavenge seen, and its growth since the last reading.
 */
function allocationMeter(): { allocatedBytes(): number; close(): void } {
  let scavenges = 0;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) if ((entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MINOR) scavenges += 1;
  });
  observer.observe({ entryTypes: ['gc'] });
  let total = 0;
  let last = youngGeneration().used;
  return {
    allocatedBytes() {
      const young = youngGeneration();
      // A scavenge means the young generation filled up from where it was last read; one that
      // shrank without a scavenge was emptied by a full collection.
      total += Math.max(0, scavenges * young.capacity + young.used - last);
      scavenges = 0;
      last = young.used;
      return total;
    },
    close: () => observer.disconnect(),
  };
}

/** This process: what it allocates, its V8 heap and V8's own full collection. */
export function processHeapProbe(): HeapProbe {
  const meter = allocationMeter();
  let collect: (() => void) | undefined;
  return {
    allocatedBytes: () => meter.allocatedBytes(),
    nowMs: () => performance.now(),
    // The global process, not an ES import of node:process: that reads every property, and its
    // lazy stdin/stdout/report getters load streams, readline, the REPL's history and more.
    heapCommittedBytes: () => process.memoryUsage().heapTotal,
    collect: () => (collect ??= fullCollection())(),
    close: () => meter.close(),
  };
}

/** The release logic without its timer: quiet since when, and grown since the last release. */
export function idleHeapCheck(options: IdleHeapReleaseOptions, probe: HeapProbe = options.probe ?? processHeapProbe()): IdleHeapCheck {
  const quietRate = options.quietBytesPerSecond ?? 1024 * 1024;
  const minGrowth = options.minGrowthBytes ?? 2 * 1024 * 1024;
  let last = { at: probe.nowMs(), allocated: probe.allocatedBytes() };
  let quietSince: number | undefined;
  // Nothing released yet: the first quiet period after the start collects what starting left.
  let releasedAt = 0;
  return {
    check() {
      const now = { at: probe.nowMs(), allocated: probe.allocatedBytes() };
      const elapsedMs = now.at - last.at;
      const busy = elapsedMs <= 0 || ((now.allocated - last.allocated) * 1000) / elapsedMs >= quietRate;
      quietSince = busy ? undefined : (quietSince ?? last.at);
      last = now;
      if (quietSince === undefined || now.at - quietSince < options.afterMs) return;
      const before = probe.heapCommittedBytes();
      if (before < releasedAt + minGrowth) return;
      probe.collect();
      releasedAt = probe.heapCommittedBytes();
      options.onRelease?.(before, releasedAt);
      // What the collection itself moved is not activity of the process.
      last = { at: probe.nowMs(), allocated: probe.allocatedBytes() };
    },
  };
}

/**
 * Checks every quarter `afterMs` (at least every second) whether the process is quiet, and releases
 * its heap as idleHeapCheck says; returns the stop. The timer never keeps the process alive.
 */
export function releaseHeapWhenIdle(options: IdleHeapReleaseOptions): () => void {
  if (options.afterMs <= 0) return () => {};
  const probe = options.probe ?? processHeapProbe();
  const release = idleHeapCheck(options, probe);
  // Quiet is seen from the first check after the process went quiet, so the release comes up to
  // one interval late: with checks every half period, the PGlite monolith (busy ~4 s after it
  // reports "started") released 15.4 s after its start, with a quarter 14.1 s. A check reads two
  // V8 statistics, next to nothing.
  const timer = setInterval(() => release.check(), Math.max(1000, Math.floor(options.afterMs / 4)));
  timer.unref();
  return () => {
    clearInterval(timer);
    probe.close();
  };
}
