import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidPositionError, VectorPosition } from './vector-position.ts';

import { arbVector, arbWriters as writers } from './testing/arb-vector.ts';

describe('VectorPosition', () => {
  it('keeps only writers above the floor and reads the rest at the floor', () => {
    const position = VectorPosition.of(10, [['a', 5], ['b', 10], ['c', 12]]);
    expect(position.toJSON()).toEqual({ min: 10, writers: { c: 12 } });
    expect(position.get('a')).toBe(10);
    expect(position.get('unknown')).toBe(10);
    expect(position.get('c')).toBe(12);
    expect(position.max).toBe(12);
  });

  it('takes the minimum of exact writer positions as the floor', () => {
    const position = VectorPosition.fromWriters([['a', 7], ['b', 3], ['c', 9]]);
    expect(position.toJSON()).toEqual({ min: 3, writers: { a: 7, c: 9 } });
    expect(VectorPosition.fromWriters([])).toBe(VectorPosition.ZERO);
  });

  it('never moves a writer backwards and folds entries into a raised floor', () => {
    const position = VectorPosition.of(5, [['a', 8]]);
    expect(position.advance('a', 6)).toBe(position);
    expect(position.advance('a', 9).get('a')).toBe(9);
    expect(position.withMin(8).toJSON()).toEqual({ min: 8, writers: {} });
  });

  it('rejects negative and unsafe positions with a named error', () => {
    expect(() => VectorPosition.of(-1)).toThrow(InvalidPositionError);
    expect(() => VectorPosition.of(0, [['a', 2 ** 53]])).toThrow(/position of a/);
  });

  it('a lower floor never covers: an unlisted writer may sit at the higher floor', () => {
    expect(VectorPosition.of(5, [['a', 100]]).covers(VectorPosition.of(6))).toBe(false);
    expect(VectorPosition.of(6).covers(VectorPosition.of(5, [['a', 6]]))).toBe(true);
    expect(VectorPosition.of(6).covers(VectorPosition.of(5, [['a', 7]]))).toBe(false);
  });

  it('merge is the least upper bound (property)', () => {
    fc.assert(
      fc.property(arbVector, arbVector, (a, b) => {
        const merged = a.merge(b);
        expect(merged.covers(a)).toBe(true);
        expect(merged.covers(b)).toBe(true);
        expect(merged.equals(b.merge(a))).toBe(true);
        for (const writer of [...writers, 'other']) expect(merged.get(writer)).toBe(Math.max(a.get(writer), b.get(writer)));
      }),
    );
  });

  it('covers is a partial order consistent with get (property)', () => {
    fc.assert(
      fc.property(arbVector, arbVector, (a, b) => {
        expect(a.covers(a)).toBe(true);
        if (a.covers(b) && b.covers(a)) expect(a.toJSON()).toEqual(b.toJSON());
        if (a.covers(b)) for (const writer of [...writers, 'other']) expect(a.get(writer)).toBeGreaterThanOrEqual(b.get(writer));
      }),
    );
  });
});
