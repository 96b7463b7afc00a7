import { describe, expect, it } from 'vitest';
import { decodeRowWith, defineStream, encodeRowWith, InvalidStreamNameError, positionSubject, sequenceName, StreamRegistry, streamSubject } from './stream-definition.ts';

const fetchSince = async () => [];

describe('stream definitions', () => {
  it('accepts lower-case names and derives subjects and the sequence from them', () => {
    const events = defineStream({ name: 'events', fetchSince });
    expect(streamSubject(events.name)).toBe('repl.events');
    expect(positionSubject(events.name, 'event_persister1')).toBe('repl.events.position.event_persister1');
    expect(sequenceName('to_device')).toBe('stream_seq_to_device');
  });

  it.each(['', 'Events', 'to-device', '1events', 'a.b', 'x'.repeat(49)])('rejects the name %j', (name) => {
    expect(() => defineStream({ name, fetchSince })).toThrow(InvalidStreamNameError);
  });

  it('encodes rows as JSON unless the stream brings its own codec', () => {
    const plain = defineStream<{ a: number }>({ name: 'plain', fetchSince });
    expect(decodeRowWith(plain, encodeRowWith(plain, { a: 1 }))).toEqual({ a: 1 });
    const custom = defineStream<string>({
      name: 'custom',
      fetchSince,
      encodeRow: (row) => new TextEncoder().encode(row.toUpperCase()),
      decodeRow: (bytes) => new TextDecoder().decode(bytes).toLowerCase(),
    });
    expect(new TextDecoder().decode(encodeRowWith(custom, 'abc'))).toBe('ABC');
    expect(decodeRowWith(custom, encodeRowWith(custom, 'abc'))).toBe('abc');
  });

  it('registers each stream once and names the known ones when asked for another', () => {
    const registry = new StreamRegistry();
    registry.register(defineStream({ name: 'receipts', fetchSince }));
    expect(registry.get('receipts').name).toBe('receipts');
    expect(registry.names()).toEqual(['receipts']);
    expect(() => registry.register(defineStream({ name: 'receipts', fetchSince }))).toThrow(/already registered/);
    expect(() => registry.get('typing')).toThrow(/registered are receipts/);
  });
});
