import { describe, expect, it, vi } from 'vitest';
import { idleHeapCheck, processHeapProbe, type HeapProbe } from './idle-heap-release.ts';

const MiB = 1024 * 1024;

const KiB = 1024;

/** A process whose clock, allocations and heap the spec moves by hand. */
function fakeProcess() {
  const state = { now: 0, allocated: 0, heap: 40 * MiB, collections: 0, heapAfterCollect: 20 * MiB };
  const probe: HeapProbe = {
    nowMs: () => state.now,
    allocatedBytes: () => state.allocated,
    heapCommittedBytes: () => state.heap,
    collect: () => {
      state.collections += 1;
      state.heap = state.heapAfterCollect;
      // What a full collection moves must not count as the process's own activity.
      state.allocated += 8 * MiB;
    },
    close: () => {},
  };
  /** `seconds` pass, the process allocating `bytesPerSecond`. */
  const pass = (seconds: number, bytesPerSecond: number) => {
    state.now += seconds * 1000;
    state.allocated += seconds * bytesPerSecond;
  };
  return { state, probe, pass };
}

describe('idle heap release', () => {
  it('collects once the process has been quiet for the configured time, and tells before and after', () => {
    const { state, probe, pass } = fakeProcess();
    const released: Array<[number, number]> = [];
    const release = idleHeapCheck({ afterMs: 10_000, probe, onRelease: (before, after) => released.push([before, after]) });
    pass(5, 20 * KiB);
    release.check();
    expect(state.collections).toBe(0);
    pass(5, 20 * KiB);
    release.check();
    expect(state.collections).toBe(1);
    expect(released).toEqual([[40 * MiB, 20 * MiB]]);
  });

  it('never collects while the process is busy, and waits a full quiet period after activity', () => {
    const { state, probe, pass } = fakeProcess();
    const release = idleHeapCheck({ afterMs: 10_000, probe });
    for (let i = 0; i < 20; i++) {
      pass(5, 3 * MiB);
      release.check();
    }
    expect(state.collections).toBe(0);
    pass(5, 10 * KiB);
    release.check();
    pass(4, 10 * KiB);
    release.check();
    expect(state.collections).toBe(0);
    pass(1, 10 * KiB);
    release.check();
    expect(state.collections).toBe(1);
  });

  it('judges quiet by what the process allocates, not by how long that takes: a steady trickle of work keeps it from collecting', () => {
    const { state, probe, pass } = fakeProcess();
    const release = idleHeapCheck({ afterMs: 10_000, probe, quietBytesPerSecond: 256 * KiB });
    // Requests still coming in, a few a second: over the threshold in every interval.
    for (let i = 0; i < 20; i++) {
      pass(5, 300 * KiB);
      release.check();
    }
    expect(state.collections).toBe(0);
    // The load ends: the idle timers allocate a little, however slow the box makes them.
    for (let i = 0; i < 3; i++) {
      pass(5, 40 * KiB);
      release.check();
    }
    expect(state.collections).toBe(1);
  });

  it('does not collect again while quiet unless the heap grew since the last release', () => {
    const { state, probe, pass } = fakeProcess();
    const release = idleHeapCheck({ afterMs: 10_000, probe, minGrowthBytes: 2 * MiB });
    for (let i = 0; i < 10; i++) {
      pass(5, 10 * KiB);
      release.check();
    }
    expect(state.collections).toBe(1);
    // A load: the heap grows, then the process goes quiet again.
    pass(5, 5 * MiB);
    state.heap = 130 * MiB;
    state.heapAfterCollect = 22 * MiB;
    release.check();
    for (let i = 0; i < 4; i++) {
      pass(5, 10 * KiB);
      release.check();
    }
    expect(state.collections).toBe(2);
    // Creeping by less than the threshold is left to V8.
    state.heap = 23 * MiB;
    for (let i = 0; i < 10; i++) {
      pass(5, 10 * KiB);
      release.check();
    }
    expect(state.collections).toBe(2);
  });

  it('collects this process\'s heap for real: garbage left in the old generation is given back', () => {
    // Held while made, so it is promoted to the old generation, then dropped at once.
    let garbage: Array<{ i: number; text: string }> | undefined = Array.from({ length: 300_000 }, (_, i) => ({ i, text: `item ${i}` }));
    expect(garbage).toHaveLength(300_000);
    garbage = undefined;
    const released: Array<[number, number]> = [];
    // Only the clock and allocations are the spec's (a quiet process); heap and collection are real.
    const { probe, pass } = fakeProcess();
    const real = processHeapProbe();
    const check = idleHeapCheck({ afterMs: 1000, minGrowthBytes: 0, probe: { ...real, nowMs: probe.nowMs, allocatedBytes: probe.allocatedBytes }, onRelease: (before, after) => released.push([before, after]) });
    pass(1, 0);
    check.check();
    expect(released).toHaveLength(1);
    const [before, after] = released[0]!;
    expect(after).toBeLessThan(before);
  });

  it('estimates this process\'s allocations: making objects moves the estimate by about their size', async () => {
    const probe = processHeapProbe();
    try {
      const before = probe.allocatedBytes();
      // ~40 MiB of short-lived objects, many times the young generation, so scavenges happen;
      // each batch is kept until the next, so no optimisation can skip making them.
      let batch: Array<{ i: number; text: string }> = [];
      for (let i = 0; i < 1_000_000; i++) {
        batch.push({ i, text: `item ${i}` });
        if (batch.length === 1000) batch = [];
      }
      expect(batch).toHaveLength(0);
      // Node reports the scavenges to the observer a little later, in a batch.
      await vi.waitFor(() => expect(probe.allocatedBytes() - before).toBeGreaterThan(16 * MiB));
    } finally {
      probe.close();
    }
  });
});
