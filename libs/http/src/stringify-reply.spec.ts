import { describe, expect, it } from 'vitest';
import { stringifyIteratively, stringifyReply } from './stringify-reply.ts';

describe('stringifyIteratively', () => {
  it('writes what JSON.stringify writes', () => {
    const values: unknown[] = [
      { a: 1, b: [1, 'two', null, true, false], c: { d: { e: [] } }, f: {} },
      { skipped: undefined, fn: () => 1, sym: Symbol('s'), kept: 0 },
      [undefined, () => 1, NaN, Infinity, -0, 1.5],
      { nested: { toJSON: () => ({ replaced: true }) }, date: new Date(0) },
      'a "quoted"\n\u2028 string',
      42,
      null,
      [],
      { 'key "with" quotes': ['\ud83c\udf89'] },
    ];
    for (const value of values) expect(stringifyIteratively(value)).toBe(JSON.stringify(value));
  });

  it('writes 100,000 levels of objects and arrays, which JSON.stringify cannot', () => {
    const depth = 100_000;
    const text = `{"x":${'{"a":['.repeat(depth)}1${']}'.repeat(depth)}}`;
    const value = JSON.parse(text) as unknown;
    expect(() => JSON.stringify(value)).toThrow(RangeError);
    expect(stringifyIteratively(value)).toBe(text);
  });
});

describe('stringifyReply', () => {
  it('uses JSON.stringify and falls back only when the value is too deep for it', () => {
    expect(stringifyReply({ a: [1] })).toBe('{"a":[1]}');
    const deep = JSON.parse(`${'['.repeat(20_000)}${']'.repeat(20_000)}`) as unknown;
    expect(stringifyReply(deep)).toHaveLength(40_000);
    expect(() => stringifyReply({ big: 1n })).toThrow(TypeError);
  });
});
