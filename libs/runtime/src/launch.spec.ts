import { describe, expect, it } from 'vitest';
import { constants } from 'node:module';
import { heapEnvironment, heapFlags, lateCompileCache, missingEnvironment, missingFlags } from './launch.ts';

describe('node_heap flags', () => {
  it('asks for the semi-space always, the old space only when configured, optimize-for-size when on', () => {
    expect(heapFlags({ nodeHeap: { maxSemiSpaceMiB: 2, maxOldSpaceMiB: undefined, optimizeForSize: true, releaseWhenIdleAfterMs: 10_000, mallocArenaMax: 1 } })).toEqual(['--max-semi-space-size=2', '--optimize-for-size']);
    expect(heapFlags({ nodeHeap: { maxSemiSpaceMiB: 4, maxOldSpaceMiB: 512, optimizeForSize: false, releaseWhenIdleAfterMs: 0, mallocArenaMax: 0 } })).toEqual(['--max-semi-space-size=4', '--max-old-space-size=512']);
  });

  it('asks for MALLOC_ARENA_MAX unless node_heap leaves the arenas to glibc, and keeps a value the admin set', () => {
    const heap = { maxSemiSpaceMiB: 2, maxOldSpaceMiB: undefined, optimizeForSize: false, releaseWhenIdleAfterMs: 10_000 };
    expect(heapEnvironment({ nodeHeap: { ...heap, mallocArenaMax: 1 } })).toEqual({ MALLOC_ARENA_MAX: '1' });
    expect(heapEnvironment({ nodeHeap: { ...heap, mallocArenaMax: 0 } })).toEqual({});
    expect(missingEnvironment({ MALLOC_ARENA_MAX: '1' }, {})).toEqual({ MALLOC_ARENA_MAX: '1' });
    expect(missingEnvironment({ MALLOC_ARENA_MAX: '1' }, { MALLOC_ARENA_MAX: '' })).toEqual({ MALLOC_ARENA_MAX: '1' });
    expect(missingEnvironment({ MALLOC_ARENA_MAX: '1' }, { MALLOC_ARENA_MAX: '4' })).toEqual({});
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
