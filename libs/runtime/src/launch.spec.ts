import { describe, expect, it } from 'vitest';
import { heapFlags, missingFlags } from './launch.ts';

describe('node_heap flags', () => {
  it('asks for the semi-space always and the old space only when configured', () => {
    expect(heapFlags({ nodeHeap: { maxSemiSpaceMiB: 2, maxOldSpaceMiB: undefined } })).toEqual(['--max-semi-space-size=2']);
    expect(heapFlags({ nodeHeap: { maxSemiSpaceMiB: 4, maxOldSpaceMiB: 512 } })).toEqual(['--max-semi-space-size=4', '--max-old-space-size=512']);
  });

  it('relaunches only for flags the process was not started with', () => {
    const wanted = ['--max-semi-space-size=2', '--max-old-space-size=512'];
    expect(missingFlags(wanted, ['--max-semi-space-size=2', '--max-old-space-size=512', '--enable-source-maps'])).toEqual([]);
    expect(missingFlags(wanted, ['--max-semi-space-size=8'])).toEqual(wanted);
  });
});
