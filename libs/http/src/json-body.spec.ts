import { describe, expect, it } from 'vitest';
import { jsonNestsDeeperThan, MAX_CLIENT_JSON_DEPTH, parseJsonBody } from './json-body.ts';
import { MatrixError } from './matrix-error.ts';

const nested = (depth: number, leaf = '1') => `${'{"a":'.repeat(depth)}${leaf}${'}'.repeat(depth)}`;
const bytes = (text: string) => new TextEncoder().encode(text);

function refusal(body: Uint8Array): MatrixError {
  try {
    parseJsonBody(body);
  } catch (error) {
    if (error instanceof MatrixError) return error;
    throw error;
  }
  throw new Error('the body was accepted');
}

describe('jsonNestsDeeperThan', () => {
  it('counts objects and arrays, not brackets inside strings or after escapes', () => {
    const deeper = (text: string, max: number) => jsonNestsDeeperThan(bytes(text), max);
    expect(deeper('[[{"a":[1]}]]', 4)).toBe(false);
    expect(deeper('[[{"a":[1]}]]', 3)).toBe(true);
    expect(deeper('{"a":"[[[[{{{{"}', 1)).toBe(false);
    expect(deeper('{"a":"\\"[[[["}', 1)).toBe(false);
    expect(deeper('{"a\\\\":[[1]]}', 2)).toBe(true);
    expect(deeper('[][][][]', 1)).toBe(false);
    // Multi-byte characters inside strings are skipped like any other.
    expect(deeper('{"é🎉[[[":["ü"]}', 2)).toBe(false);
  });
});

describe('parseJsonBody', () => {
  it('accepts nesting up to the limit and refuses one level more with M_BAD_JSON', () => {
    expect(parseJsonBody(bytes(nested(MAX_CLIENT_JSON_DEPTH)))).toBeTypeOf('object');
    const error = refusal(bytes(nested(MAX_CLIENT_JSON_DEPTH + 1)));
    expect([error.status, error.errcode]).toEqual([400, 'M_BAD_JSON']);
    expect(error.message).toContain(`${MAX_CLIENT_JSON_DEPTH} levels`);
  });

  it.each([1_001, 5_000, 10_000, 100_000])('refuses %i levels of objects and of arrays', (depth) => {
    expect(refusal(bytes(nested(depth))).errcode).toBe('M_BAD_JSON');
    expect(refusal(bytes(`${'['.repeat(depth)}${']'.repeat(depth)}`)).errcode).toBe('M_BAD_JSON');
    // Unbalanced (so also not JSON): refused without walking it recursively either.
    expect(refusal(bytes('['.repeat(depth))).status).toBe(400);
  });

  it('honours a larger limit when given (federation bodies)', () => {
    expect(parseJsonBody(bytes(nested(1_010)), { maxDepth: 1_016 })).toBeTypeOf('object');
  });

  it('refuses bytes that are not UTF-8 with M_NOT_JSON instead of storing U+FFFD', () => {
    for (const bad of [[0xff], [0xc3, 0x28], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80]]) {
      const inValue = new Uint8Array([...bytes('{"body":"a'), ...bad, ...bytes('"}')]);
      const inKey = new Uint8Array([...bytes('{"k'), ...bad, ...bytes('":1}')]);
      for (const body of [inValue, inKey]) {
        const error = refusal(body);
        expect([error.status, error.errcode]).toEqual([400, 'M_NOT_JSON']);
      }
    }
  });

  it('parses UTF-8 text, including astral characters, and reads an empty body as none', () => {
    expect(parseJsonBody(bytes('{"body":"héllo 🎉"}'))).toEqual({ body: 'héllo 🎉' });
    expect(parseJsonBody(bytes('  '))).toBeUndefined();
  });

  it('refuses text that is not JSON with M_NOT_JSON and U+0000 with M_BAD_JSON', () => {
    expect(refusal(bytes('{"a":')).errcode).toBe('M_NOT_JSON');
    expect(refusal(bytes('{"a":"\\u0000"}')).errcode).toBe('M_BAD_JSON');
  });
});

describe('parseJsonBody and unpaired surrogates', () => {
  it('refuses an escaped lone surrogate in a string or a key with M_BAD_JSON, and accepts escaped pairs', () => {
    for (const text of ['{"body":"a\\ud800b"}', '{"k\\udc00":1}', '{"a":["\\uDBFF"]}']) {
      const error = refusal(bytes(text));
      expect([error.status, error.errcode], text).toEqual([400, 'M_BAD_JSON']);
    }
    expect(parseJsonBody(bytes('{"body":"\\ud83c\\udf89"}'))).toEqual({ body: '🎉' });
  });
});
