import { describe, expect, it } from 'vitest';
import { murmur3, utf8 } from './hash.ts';

// Published MurmurHash3_x86_32 test values: placement depends on this function never changing.
describe('murmur3', () => {
  it.each([
    ['', 0, 0],
    ['', 1, 0x514e28b7],
    ['', 0xffffffff, 0x81f16f39],
    ['a', 0x9747b28c, 0x7fa09ea6],
    ['ab', 0x9747b28c, 0x74875592],
    ['abc', 0x9747b28c, 0xc84a62dd],
    ['abcd', 0x9747b28c, 0xf0478627],
    ['Hello, world!', 0x9747b28c, 0x24884cba],
    ['The quick brown fox jumps over the lazy dog', 0x9747b28c, 0x2fa826cd],
  ])('murmur3(%j, %i)', (text, seed, expected) => {
    expect(murmur3(utf8(text), seed)).toBe(expected);
  });

  it('hashes UTF-8 bytes, not UTF-16 code units', () => {
    expect(murmur3(utf8('π'), 0x9747b28c)).toBe(murmur3(new Uint8Array([0xcf, 0x80]), 0x9747b28c));
  });
});
