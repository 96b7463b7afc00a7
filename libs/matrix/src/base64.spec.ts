import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBase64, decodeUrlSafeBase64, encodeUnpaddedBase64, encodeUrlSafeBase64 } from './base64.ts';
import { Base64Error } from './errors.ts';

const utf8 = (s: string) => new TextEncoder().encode(s);

describe('unpadded base64', () => {
  it.each([
    ['', ''],
    ['f', 'Zg'],
    ['fo', 'Zm8'],
    ['foo', 'Zm9v'],
    ['foob', 'Zm9vYg'],
    ['fooba', 'Zm9vYmE'],
    ['foobar', 'Zm9vYmFy'],
  ])('encodes the spec example %j as %j and back', (plain, encoded) => {
    expect(encodeUnpaddedBase64(utf8(plain))).toBe(encoded);
    expect(new TextDecoder().decode(decodeBase64(encoded))).toBe(plain);
  });

  it('accepts padded input, as the spec recommends', () => {
    expect(new TextDecoder().decode(decodeBase64('Zm8='))).toBe('fo');
    expect(new TextDecoder().decode(decodeBase64('Zg=='))).toBe('f');
  });

  it('uses - and _ in the URL-safe alphabet', () => {
    const bytes = Uint8Array.from([0xfb, 0xff, 0xbf]);
    expect(encodeUnpaddedBase64(bytes)).toBe('+/+/');
    expect(encodeUrlSafeBase64(bytes)).toBe('-_-_');
    expect(decodeUrlSafeBase64('-_-_')).toEqual(bytes);
  });

  it.each([
    ['Zm9v!', 'outside the standard'],
    ['Zm9v-_', 'outside the standard'],
    ['Z', 'dangling'],
    ['Zm9vY', 'dangling'],
    ['Zm8==', 'padding'],
    ['Zm=8', 'outside'],
    ['Zm 9v', 'outside'],
  ])('rejects %j', (text, reason) => {
    expect(() => decodeBase64(text)).toThrow(Base64Error);
    expect(() => decodeBase64(text)).toThrow(reason);
  });

  it('rejects the standard alphabet when URL-safe is required', () => {
    expect(() => decodeUrlSafeBase64('+/+/')).toThrow('url-safe');
  });

  it('can insist on zero trailing bits', () => {
    expect(decodeBase64('Zh')).toEqual(utf8('f'));
    expect(() => decodeBase64('Zh', { rejectNonZeroTrailingBits: true })).toThrow('trailing bits');
    expect(decodeBase64('Zg', { rejectNonZeroTrailingBits: true })).toEqual(utf8('f'));
  });

  it('round-trips arbitrary bytes in both alphabets (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const standard = encodeUnpaddedBase64(bytes);
        const urlSafe = encodeUrlSafeBase64(bytes);
        expect(standard).not.toContain('=');
        expect(urlSafe).toMatch(/^[A-Za-z0-9_-]*$/);
        expect(decodeBase64(standard, { rejectNonZeroTrailingBits: true })).toEqual(bytes);
        expect(decodeUrlSafeBase64(urlSafe, { rejectNonZeroTrailingBits: true })).toEqual(bytes);
        expect(standard.replaceAll('+', '-').replaceAll('/', '_')).toBe(urlSafe);
        expect(Buffer.from(bytes).toString('base64').replace(/=+$/, '')).toBe(standard);
      }),
    );
  });
});
