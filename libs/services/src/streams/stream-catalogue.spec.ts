import type { HomeserverConfig } from '@homeserver/config';
import { describe, expect, it } from 'vitest';
import { STREAM_CATALOGUE, streamWriterProblems, streamWritersOf } from './stream-catalogue.ts';

const config = (workerName: string, workerApp: string, streamWriters: Record<string, string[]>) =>
  ({ workerName, workerApp, streamWriters, instances: { 'event-persister': streamWriters['events'] ?? ['main'], 'federation-sender': ['main'], pusher: ['main'] } }) as unknown as HomeserverConfig;

describe('stream catalogue', () => {
  it('describes every stream once, with its writer config key', () => {
    for (const [name, entry] of Object.entries(STREAM_CATALOGUE)) {
      expect(entry.definition.name).toBe(name);
      expect(entry.writerKey).toBe(`stream_writers.${name}`);
    }
    expect(streamWritersOf(config('main', 'main', {}), 'typing')).toEqual(['main']);
    expect(streamWritersOf(config('main', 'main', { events: ['p1', 'p2'] }), 'events')).toEqual(['p1', 'p2']);
  });

  it('accepts every non-event writer on a sync worker and refuses a stream a process cannot host, naming the key', () => {
    const writers = { typing: ['sync1'], receipts: ['sync1'], presence: ['sync1'], to_device: ['sync1'] };
    expect(streamWriterProblems(config('sync1', 'sync', writers), ['sync'])).toEqual([]);
    expect(streamWriterProblems(config('main', 'main', writers), ['main', 'sync'])).toEqual([]);
    expect(streamWriterProblems(config('p1', 'event-persister', { typing: ['p1'] }), ['event-persister'])).toEqual([
      'stream_writers.typing names p1, but a event-persister process cannot write typing (it is written by: main, sync)',
    ]);
    // account_data and device_lists move like the others: main then writes neither.
    const userStreams = { account_data: ['sync1'], device_lists: ['sync1'] };
    expect(streamWriterProblems(config('main', 'main', userStreams), ['main', 'sync'])).toEqual([]);
    expect(streamWriterProblems(config('sync1', 'sync', userStreams), ['sync'])).toEqual([]);
    expect(streamWriterProblems(config('r1', 'federation-reader', { device_lists: ['r1'] }), ['federation-reader'])).toEqual([
      'stream_writers.device_lists names r1, but a federation-reader process cannot write device_lists (it is written by: main, sync)',
    ]);
    expect(streamWriterProblems(config('main', 'main', { nope: ['main'] }), ['main'])[0]).toMatch(/stream_writers.nope: no such stream/);
    expect(streamWriterProblems(config('main', 'main', { typing: ['a', 'b'] }), ['main'])).toEqual(['stream_writers.typing: typing takes one writer, got a, b']);
  });
});
