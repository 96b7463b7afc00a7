import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { newToken } from './credentials.ts';

describe('newToken', () => {
  it('is Synapse-shaped: prefix, base64 localpart, random part, checksum of the rest', () => {
    const token = newToken('access', '@alice:example.org');
    const match = /^syt_([^_]+)_([0-9A-Za-z]{43})_([0-9A-Za-z]{6})$/.exec(token);
    expect(match).not.toBeNull();
    expect(Buffer.from(match![1]!, 'base64').toString('utf8')).toBe('alice');
    const body = token.slice(0, token.lastIndexOf('_'));
    let crc = 0n;
    for (const char of match![3]!) crc = crc * 62n + BigInt('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'.indexOf(char));
    expect(crc).toBe(BigInt(crc32(body)));
  });

  it('marks refresh tokens syr_ and carries non-ASCII localparts', () => {
    const token = newToken('refresh', '@élan=1:hs.test');
    expect(token.startsWith('syr_')).toBe(true);
    expect(Buffer.from(token.split('_')[1]!, 'base64').toString('utf8')).toBe('élan=1');
  });

  it('never repeats', () => {
    const tokens = new Set(Array.from({ length: 1000 }, () => newToken('access', '@bob:hs.test')));
    expect(tokens.size).toBe(1000);
  });
});
