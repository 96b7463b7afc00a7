import { describe, expect, it } from 'vitest';
import { constants } from 'node:module';
import { heapFlags, lateCompileCache, missingFlags } from './launch.ts';

describe('node_heap flags', () => {
  it('asks for the semi-space always, the old space only when configured, optimize-for-size when on', () => {
    expect(heapFlags({ nodeHeap: { maxSemiSpaceMiB: 2, maxOldSpaceMiB: undefined, optimizeForSize: true, releaseWhenIdleAfterMs: 10_000 } })).toEqual(['--max-semi-space-size=2', '--optimize-for-size']);
    expect(heapFlags({ nodeHeap: { maxSemiSpaceMiB: 4, maxOldSpaceMiB: 512, optimizeForSize: false, releaseWhenIdleAfterMs: 0 } })).toEqual(['--max-semi-space-size=4', '--max-old-space-size=512']);
  });

  it('relaunches only for flags the process was not started with', () => {
    const wanted = ['--max-semi-space-size=2', '--max-old-space-size=512'];
    expect(missingFlags(wanted, ['--max-semi-space-size=2', '--max-old-space-size=512', '--enable-source-maps'])).toEqual([]);
    expect(missingFlags(wanted, ['--max-semi-space-size=8'])).toEqual(wanted);
  });
});

describe('compile cache from the first line', () => {
  const enabled = { status: constants.compileCacheStatus.ENABLED, directory: '/tmp/node-compile-cache' };

  it('hands the cache folder to the replacement when this process turned the cache on itself', () => {
    expect(lateCompileCache({}, enabled)).toBe('/tmp/node-compile-cache');
  });

  it('asks nothing when the cache was on from the start, is turned off, or could not be enabled', () => {
    expect(lateCompileCache({ NODE_COMPILE_CACHE: '/var/cache/hs' }, { status: constants.compileCacheStatus.ALREADY_ENABLED, directory: '/var/cache/hs' })).toBeUndefined();
    expect(lateCompileCache({ NODE_DISABLE_COMPILE_CACHE: '1' }, { status: constants.compileCacheStatus.DISABLED })).toBeUndefined();
    expect(lateCompileCache({}, { status: constants.compileCacheStatus.FAILED })).toBeUndefined();
  });
});
