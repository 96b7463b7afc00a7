import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeStreamToken, decodeVector, encodeStreamToken, encodeVector, InvalidStreamTokenError, MemoryWriterIds } from './stream-token.ts';
import { VectorPosition } from './vector-position.ts';
import { arbVector } from './testing/arb-vector.ts';

const ids = new MemoryWriterIds(['w1', 'w2', 'w3', 'w4']);

describe('stream tokens', () => {
  it('encodes a quiet stream as one number and writers above the floor by id', () => {
    expect(encodeVector(VectorPosition.of(4483), ids)).toBe('4483');
    expect(encodeVector(VectorPosition.of(4483, [['w3', 4501], ['w1', 4490]]), ids)).toBe('4483~1.4490~3.4501');
    expect(encodeStreamToken([VectorPosition.of(72594), VectorPosition.of(4483, [['w2', 4490]]), VectorPosition.of(1934)], ids)).toBe(
      's72594_4483~2.4490_1934',
    );
  });

  it('uses only URL-unreserved characters', () => {
    fc.assert(
      fc.property(fc.array(arbVector, { minLength: 1, maxLength: 6 }), (vectors) => {
        const token = encodeStreamToken(vectors, ids);
        expect(token).toMatch(/^[0-9s~._]+$/);
        expect(encodeURIComponent(token)).toBe(token);
      }),
    );
  });

  it('round-trips any positions (property)', () => {
    fc.assert(
      fc.property(fc.array(arbVector, { minLength: 1, maxLength: 6 }), (vectors) => {
        const decoded = decodeStreamToken(encodeStreamToken(vectors, ids), ids, { count: vectors.length });
        expect(decoded.map((v) => v.toJSON())).toEqual(vectors.map((v) => v.toJSON()));
      }),
    );
  });

  it('keeps the order of positions through encoding (property)', () => {
    fc.assert(
      fc.property(arbVector, arbVector, (a, b) => {
        const a2 = decodeVector(encodeVector(a, ids), ids);
        const b2 = decodeVector(encodeVector(b, ids), ids);
        expect(a2.covers(b2)).toBe(a.covers(b));
        expect(b2.covers(a2)).toBe(b.covers(a));
      }),
    );
  });

  it('pads tokens of an older, shorter schema with zero positions', () => {
    expect(decodeStreamToken('s12', ids, { count: 3 }).map((v) => v.min)).toEqual([12, 0, 0]);
  });

  it.each([
    ['', 'not starting with s'],
    ['s', 'empty'],
    ['s1_2_3_4', 'too many parts'],
    ['s01', 'leading zero'],
    ['s5~2.4', 'entry not above the floor'],
    ['s5~2.9~1.8', 'ids out of order'],
    ['s5~9.8', 'unknown writer id'],
    ['s99999999999999999', 'beyond 2^53'],
    ['s5~1.x', 'not a number'],
  ])('rejects %j (%s) with InvalidStreamTokenError', (token) => {
    expect(() => decodeStreamToken(token, ids, { count: 3 })).toThrow(InvalidStreamTokenError);
  });

  it('refuses to encode a writer that has no id', () => {
    expect(() => encodeVector(VectorPosition.of(1, [['stranger', 2]]), ids)).toThrow(/stranger/);
  });
});
