// fast-check arbitrary of vector positions over four writers, shared by the property tests.
import fc from 'fast-check';
import { VectorPosition } from '../vector-position.ts';

export const arbWriters = ['w1', 'w2', 'w3', 'w4'];

export const arbVector = fc
  .tuple(fc.nat({ max: 1_000_000 }), fc.dictionary(fc.constantFrom(...arbWriters), fc.nat({ max: 2_000_000 })))
  .map(([min, entries]) => VectorPosition.of(min, Object.entries(entries)));
