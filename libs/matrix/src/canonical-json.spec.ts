import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  assertCanonicalCompatible,
  compareCodePoints,
  encodeCanonicalJson,
  encodeCanonicalJsonBytes,
  isCanonicalCompatible,
} from './canonical-json.ts';
import { CanonicalJsonError } from './errors.ts';
import type { JsonValue } from './json.ts';

describe('encodeCanonicalJson: the spec appendix examples', () => {
  it.each([
    ['{}', '{}'],
    ['{\n "one": 1,\n "two": "Two"\n}', '{"one":1,"two":"Two"}'],
    ['{"b": "2", "a": "1"}', '{"a":"1","b":"2"}'],
    ['{"b":"2","a":"1"}', '{"a":"1","b":"2"}'],
    [
      '{"auth":{"success":true,"mxid":"@john.doe:example.com","profile":{"display_name":"John Doe","three_pids":[{"medium":"email","address":"john.doe@example.org"},{"medium":"msisdn","address":"123456789"}]}}}',
      '{"auth":{"mxid":"@john.doe:example.com","profile":{"display_name":"John Doe","three_pids":[{"address":"john.doe@example.org","medium":"email"},{"address":"123456789","medium":"msisdn"}]},"success":true}}',
    ],
    ['{"a": "日本語"}', '{"a":"日本語"}'],
    ['{"本": 2, "日": 1}', '{"日":1,"本":2}'],
    ['{"a": "\\u65E5"}', '{"a":"日"}'],
    ['{"a": null}', '{"a":null}'],
    ['{"a": -0, "b": 1e10}', '{"a":0,"b":10000000000}'],
  ])('%s → %s', (input, expected) => {
    expect(encodeCanonicalJson(JSON.parse(input) as JsonValue)).toBe(expected);
  });

  it('uses the grammar’s escapes: short forms, \\u00XX for other controls, nothing else', () => {
    const value = { s: '\b\t\n\f\r"\\\u0000\u001f\u007f/é😀' };
    expect(encodeCanonicalJson(value)).toBe('{"s":"\\b\\t\\n\\f\\r\\"\\\\\\u0000\\u001f\u007f/é😀"}');
  });

  it('encodes to UTF-8 bytes', () => {
    expect([...encodeCanonicalJsonBytes({ a: 'é' })]).toEqual([...new TextEncoder().encode('{"a":"é"}')]);
  });

  it('sorts by code point, not UTF-16 code unit', () => {
    // U+1F600 (surrogate pair D83D DE00) sorts after U+FF01 by code point, before it by code unit.
    expect(encodeCanonicalJson({ '😀': 1, '！': 2 })).toBe('{"！":2,"😀":1}');
    expect(compareCodePoints('😀', '！')).toBeGreaterThan(0);
  });

  it('keeps integer edges and omits undefined members', () => {
    expect(encodeCanonicalJson([2 ** 53 - 1, -(2 ** 53) + 1])).toBe('[9007199254740991,-9007199254740991]');
    expect(encodeCanonicalJson({ a: 1, b: undefined } as unknown as JsonValue)).toBe('{"a":1}');
  });
});

describe('assertCanonicalCompatible', () => {
  it.each([
    [{ content: { count: 1.5 } }, 'content.count', 'not an integer'],
    [{ content: { count: 2 ** 53 } }, 'content.count', 'outside the range'],
    [{ a: [1, { b: Number.NaN }] }, 'a[1].b', 'not an integer'],
    [{ 'm.relates_to': { x: Infinity } }, 'm\\.relates_to.x', 'not an integer'],
    [{ s: 'x\ud800' }, 's', 'unpaired'],
    [{ d: new Date(0) }, 'd', 'Date'],
    [{ f: () => 1 }, 'f', 'function'],
    [{ n: 10n }, 'n', 'bigint'],
    [1.25, '', 'not an integer'],
  ])('rejects %o at %s', (value, path, reason) => {
    try {
      assertCanonicalCompatible(value);
      expect.unreachable('should have thrown');
    } catch (error) {
      expect(error).toBeInstanceOf(CanonicalJsonError);
      expect((error as CanonicalJsonError).path).toBe(path);
      expect((error as CanonicalJsonError).message).toContain(reason);
    }
    expect(isCanonicalCompatible(value)).toBe(false);
  });

  it('accepts plain JSON values', () => {
    expect(isCanonicalCompatible({ a: [1, 'x', null, true, { b: -5 }] })).toBe(true);
  });

  it('encodes legacy numbers only when asked', () => {
    expect(() => encodeCanonicalJson({ a: 1.5 })).toThrow(CanonicalJsonError);
    expect(encodeCanonicalJson({ a: 1.5 }, { allowUnsafeNumbers: true })).toBe('{"a":1.5}');
  });
});

// Canonical-compatible JSON values: safe integers only, well-formed strings.
const jsonValue: fc.Arbitrary<JsonValue> = fc.letrec<{ value: JsonValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    fc.boolean(),
    fc.maxSafeInteger(),
    fc.string({ unit: 'grapheme' }),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.string({ unit: 'grapheme', maxLength: 6 }), tie('value'), { maxKeys: 5 }),
  ),
})).value;

describe('canonical JSON properties', () => {
  it('round-trips through JSON.parse', () => {
    fc.assert(
      fc.property(jsonValue, (value) => {
        expect(JSON.parse(encodeCanonicalJson(value))).toStrictEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });

  it('is a fixed point: re-encoding canonical output changes nothing', () => {
    fc.assert(
      fc.property(jsonValue, (value) => {
        const once = encodeCanonicalJson(value);
        expect(encodeCanonicalJson(JSON.parse(once) as JsonValue)).toBe(once);
      }),
    );
  });

  it('has no whitespace outside strings and object keys sorted by code point', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ unit: 'grapheme', maxLength: 5 }), fc.integer(), { maxKeys: 8 }), (obj) => {
        const text = encodeCanonicalJson(obj);
        // The whole text is compared with one built from the keys sorted by code point; the
        // order is not read back through JSON.parse, whose objects list integer-like keys ("0")
        // before all others whatever the text's order.
        const sorted = Object.keys(obj).sort((a, b) => {
          const ca = [...a].map((c) => c.codePointAt(0)!);
          const cb = [...b].map((c) => c.codePointAt(0)!);
          for (let i = 0; i < Math.min(ca.length, cb.length); i++) if (ca[i] !== cb[i]) return ca[i]! - cb[i]!;
          return ca.length - cb.length;
        });
        expect(text).toBe(
          `{${sorted.map((k) => `${JSON.stringify(k)}:${JSON.stringify(obj[k])}`).join(',')}}`,
        );
      }),
    );
  });

  it('does not depend on insertion order', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ maxLength: 4 }), fc.integer()), (obj) => {
        const reversed = Object.fromEntries(Object.entries(obj).reverse());
        expect(encodeCanonicalJson(reversed)).toBe(encodeCanonicalJson(obj));
      }),
    );
  });
});

describe('deeply nested values', () => {
  const nested = (depth: number) => `{"x":${'{"b":1,"a":['.repeat(depth)}true${']}'.repeat(depth)}}`;

  it.each([100, 255, 256, 257, 5_000, 100_000])('encodes %i levels without overflowing the stack, as the recursive path would', (depth) => {
    const value = JSON.parse(nested(depth)) as JsonValue;
    // Canonical order puts "a" before "b" at every level.
    expect(encodeCanonicalJson(value)).toBe(`{"x":${'{"a":['.repeat(depth)}true${'],"b":1}'.repeat(depth)}}`);
  });

  it('names the path of a bad value far below the recursion depth', () => {
    const value = JSON.parse(`${'{"a":['.repeat(300)}1.5${']}'.repeat(300)}`) as JsonValue;
    expect(() => assertCanonicalCompatible(value)).toThrow(CanonicalJsonError);
    try {
      assertCanonicalCompatible(value);
    } catch (error) {
      expect((error as CanonicalJsonError).path).toBe('a[0]' + '.a[0]'.repeat(299));
    }
  });

  it('skips undefined members and writes empty containers at depth', () => {
    const value = JSON.parse(`${'['.repeat(300)}{}${']'.repeat(300)}`) as JsonValue;
    let inner: unknown = value;
    for (let i = 0; i < 300; i++) inner = (inner as unknown[])[0];
    (inner as Record<string, unknown>)['gone'] = undefined;
    (inner as Record<string, unknown>)['kept'] = [];
    expect(encodeCanonicalJson(value)).toBe(`${'['.repeat(300)}{"kept":[]}${']'.repeat(300)}`);
  });
});
