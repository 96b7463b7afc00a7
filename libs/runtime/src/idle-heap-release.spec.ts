import { describe, expect, it } from 'vitest';
import { idleHeapCheck, processHeapProbe, type HeapProbe } from './idle-heap-release.ts';

const MiB = 1024 * 1024;

/** A process whose clock, CPU time and heap the spec moves by hand. */
function fakeProcess() {
  const state = { now: 0, cpuMicros: 0, heap: 40 * MiB, collections: 0, heapAfterCollect: 20 * MiB };
  const probe: HeapProbe = {
    nowMs: () => state.now,
    cpuMicros: () => state.cpuMicros,
    heapCommittedBytes: () => state.heap,
    collect: () => {
      state.collections += 1;
      state.heap = state.heapAfterCollect;
      // A full collection takes CPU time of its own.
      state.cpuMicros += 80_000;
    },
  };
  /** `seconds` pass, the process using `cpuShare` of a core. */
  const pass = (seconds: number, cpuShare: number) => {
    state.now += seconds * 1000;
    state.cpuMicros += seconds * 1_000_000 * cpuShare;
  };
  return { state, probe, pass };
}

describe('idle heap release', () => {
  it('collects once the process has been quiet for the configured time, and tells before and after', () => {
    const { state, probe, pass } = fakeProcess();
    const released: Array<[number, number]> = [];
    const release = idleHeapCheck({ afterMs: 10_000, probe, onRelease: (before, after) => released.push([before, after]) });
    pass(5, 0.005);
    release.check();
    expect(state.collections).toBe(0);
    pass(5, 0.005);
    release.check();
    expect(state.collections).toBe(1);
    expect(released).toEqual([[40 * MiB, 20 * MiB]]);
  });

  it('never collects while the process is busy, and waits a full quiet period after activity', () => {
    const { state, probe, pass } = fakeProcess();
    const release = idleHeapCheck({ afterMs: 10_000, probe });
    for (let i = 0; i < 20; i++) {
      pass(5, 0.3);
      release.check();
    }
    expect(state.collections).toBe(0);
    pass(5, 0.001);
    release.check();
    pass(4, 0.001);
    release.check();
    expect(state.collections).toBe(0);
    pass(1, 0.001);
    release.check();
    expect(state.collections).toBe(1);
  });

  it('does not collect again while quiet unless the heap grew since the last release', () => {
    const { state, probe, pass } = fakeProcess();
    const release = idleHeapCheck({ afterMs: 10_000, probe, minGrowthBytes: 2 * MiB });
    for (let i = 0; i < 10; i++) {
      pass(5, 0.001);
      release.check();
    }
    expect(state.collections).toBe(1);
    // A load: the heap grows, then the process goes quiet again.
    pass(5, 0.5);
    state.heap = 130 * MiB;
    state.heapAfterCollect = 22 * MiB;
    release.check();
    for (let i = 0; i < 4; i++) {
      pass(5, 0.001);
      release.check();
    }
    expect(state.collections).toBe(2);
    // Creeping by less than the threshold is left to V8.
    state.heap = 23 * MiB;
    for (let i = 0; i < 10; i++) {
      pass(5, 0.001);
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
    // Only the clock and CPU time are the spec's (a quiet process); heap and collection are real.
    const { probe, pass } = fakeProcess();
    const real = processHeapProbe();
    const check = idleHeapCheck({ afterMs: 1000, minGrowthBytes: 0, probe: { ...real, nowMs: probe.nowMs, cpuMicros: probe.cpuMicros }, onRelease: (before, after) => released.push([before, after]) });
    pass(1, 0);
    check.check();
    expect(released).toHaveLength(1);
    const [before, after] = released[0]!;
    expect(after).toBeLessThan(before);
  });
});
