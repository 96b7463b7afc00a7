import { describe, expect, it } from 'vitest';
import { CanonicalJsonError } from './errors.ts';
import { parseJson } from './strict-json.ts';

describe('parseJson', () => {
  it('parses canonical-compatible JSON', () => {
    expect(parseJson('{"a":[1,-2,"x",null,true],"b":{"c":9007199254740991}}')).toEqual({
      a: [1, -2, 'x', null, true],
      b: { c: 9007199254740991 },
    });
  });

  it.each([
    ['{"content":{"count":1.0}}', 'content.count', 'not an integer'],
    ['{"content":{"count":1e3}}', 'content.count', 'not an integer'],
    ['{"a":[0,-0]}', 'a[1]', 'negative zero'],
    ['{"depth":9007199254740992}', 'depth', 'outside the range'],
    ['{"x":{"m.y":-9007199254740992}}', 'x.m\\.y', 'outside the range'],
    ['{"s":"\\ud800"}', 's', 'unpaired'],
  ])('in strict mode rejects %s at %s', (text, path, reason) => {
    try {
      parseJson(text);
      expect.unreachable('should have thrown');
    } catch (error) {
      expect(error).toBeInstanceOf(CanonicalJsonError);
      expect((error as CanonicalJsonError).path).toBe(path);
      expect((error as CanonicalJsonError).message).toContain(reason);
    }
  });

  it('accepts the same input when not strict (room versions 1–5)', () => {
    expect(parseJson('{"a":1.5,"b":1e3}', { strict: false })).toEqual({ a: 1.5, b: 1000 });
  });

  it('throws SyntaxError for invalid JSON', () => {
    expect(() => parseJson('{"a":')).toThrow(SyntaxError);
  });
});
