// Gives the heap back once a process goes quiet. V8 shrinks a heap grown under load only when
// its memory reducer runs, and that waits for a low allocation rate which the periodic timers
// of an idle server (heartbeats, lease renewals, pool reaping) never let it see: measured, the
// monolith kept ~136 MiB committed for ~49 MiB live 30 s after a load, and every idle worker
// ~3-15 MiB of garbage and unused pages from its start. So the process watches its own CPU
// time; once it has been quiet long enough and its heap grew since it last did so, it runs one
// full, compacting collection (V8's "last resort" flavour, the one that gives freed pages
// back). A busy process is never interrupted, and an idle one collects once, not periodically.
import { cpuUsage, memoryUsage } from 'node:process';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** What the release reads and does, injected by its spec. */
export interface HeapProbe {
  /** CPU time this process used so far (user + system), in microseconds. */
  cpuMicros(): number;
  /** Monotonic milliseconds. */
  nowMs(): number;
  /** Bytes the V8 heap has committed. */
  heapCommittedBytes(): number;
  /** One full, compacting collection. */
  collect(): void;
}

export interface IdleHeapReleaseOptions {
  /** How long the process must have been quiet before it collects (ms); 0 turns the release off. */
  readonly afterMs: number;
  /** Share of one core below which an interval counts as quiet. Default 0.02 (2%). */
  readonly quietCpuShare?: number;
  /** Growth of the committed heap since the last release that makes another worth it. Default 2 MiB. */
  readonly minGrowthBytes?: number;
  /** Told the committed heap before and after each release (bytes). Default: nothing. */
  readonly onRelease?: (before: number, after: number) => void;
  /** Default: this process (its CPU time, its heap, V8's gc). */
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

/** This process: its CPU time, its V8 heap and V8's own full collection. */
export function processHeapProbe(): HeapProbe {
  let collect: (() => void) | undefined;
  return {
    cpuMicros: () => {
      const { user, system } = cpuUsage();
      return user + system;
    },
    nowMs: () => performance.now(),
    heapCommittedBytes: () => memoryUsage().heapTotal,
    collect: () => (collect ??= fullCollection())(),
  };
}

/** The release logic without its timer: quiet since when, and grown since the last release. */
export function idleHeapCheck(options: IdleHeapReleaseOptions): IdleHeapCheck {
  const probe = options.probe ?? processHeapProbe();
  const quietShare = options.quietCpuShare ?? 0.02;
  const minGrowth = options.minGrowthBytes ?? 2 * 1024 * 1024;
  let last = { at: probe.nowMs(), cpu: probe.cpuMicros() };
  let quietSince: number | undefined;
  // Nothing released yet: the first quiet period after the start collects what starting left.
  let releasedAt = 0;
  return {
    check() {
      const now = { at: probe.nowMs(), cpu: probe.cpuMicros() };
      const elapsedMs = now.at - last.at;
      const busy = elapsedMs <= 0 || (now.cpu - last.cpu) / 1000 / elapsedMs >= quietShare;
      quietSince = busy ? undefined : (quietSince ?? last.at);
      last = now;
      if (quietSince === undefined || now.at - quietSince < options.afterMs) return;
      const before = probe.heapCommittedBytes();
      if (before < releasedAt + minGrowth) return;
      probe.collect();
      releasedAt = probe.heapCommittedBytes();
      options.onRelease?.(before, releasedAt);
      // The collection's own CPU time is not activity of the process.
      last = { at: probe.nowMs(), cpu: probe.cpuMicros() };
    },
  };
}

/**
 * Checks every half `afterMs` (at least every second) whether the process is quiet, and releases
 * its heap as idleHeapCheck says; returns the stop. The timer never keeps the process alive.
 */
export function releaseHeapWhenIdle(options: IdleHeapReleaseOptions): () => void {
  if (options.afterMs <= 0) return () => {};
  const release = idleHeapCheck(options);
  const timer = setInterval(() => release.check(), Math.max(1000, Math.floor(options.afterMs / 2)));
  timer.unref();
  return () => clearInterval(timer);
}
