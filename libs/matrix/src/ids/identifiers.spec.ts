import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidIdentifierError } from '../errors.ts';
import { isValidDeviceId, parseDeviceId } from './device-id.ts';
import { isValidEventId, parseEventId } from './event-id.ts';
import { formatKeyId, isValidKeyId, parseKeyId } from './key-id.ts';
import { formatRoomAlias, isValidRoomAlias, parseRoomAlias } from './room-alias.ts';
import { createEventIdFromRoomId, isValidRoomId, parseRoomId, roomIdFromCreateEventId } from './room-id.ts';
import { formatUserId, isValidUserId, parseUserId } from './user-id.ts';

describe('user IDs', () => {
  it('parses a compliant user ID into its parts', () => {
    const id = parseUserId('@alice.b-c=d/e+f_9:example.org:8448', { grammar: 'strict' });
    expect(id.localpart).toBe('alice.b-c=d/e+f_9');
    expect(id.serverName.host).toBe('example.org');
    expect(id.serverName.port).toBe(8448);
    expect(id.compliant).toBe(true);
  });

  it('accepts historical localparts by default but not under the strict grammar', () => {
    for (const value of ['@Alice:example.org', '@:example.org', '@üser name!:example.org', '@a\u0001b:example.org']) {
      expect(parseUserId(value).compliant).toBe(false);
      expect(() => parseUserId(value, { grammar: 'strict' })).toThrow(InvalidIdentifierError);
    }
    expect(() => parseUserId('@Alice:example.org', { grammar: 'strict' })).toThrow('a-z, 0-9');
    expect(() => parseUserId('@:example.org', { grammar: 'strict' })).toThrow('localpart is empty');
  });

  it('rejects NUL, a missing sigil or server, bad servers and IDs over 255 bytes', () => {
    expect(() => parseUserId('@a\u0000b:example.org')).toThrow('NUL');
    expect(() => parseUserId('alice:example.org')).toThrow('does not start with "@"');
    expect(() => parseUserId('@alice')).toThrow('no ":server_name"');
    expect(() => parseUserId('@alice:exa mple.org')).toThrow('server name "exa mple.org" is invalid');
    const server = 'example.org';
    const atLimit = `@${'a'.repeat(255 - 2 - server.length)}:${server}`;
    expect(isValidUserId(atLimit, { grammar: 'strict' })).toBe(true);
    expect(() => parseUserId(`@a${atLimit.slice(1)}`)).toThrow('longer than 255 bytes');
    // Multi-byte characters count by UTF-8 bytes, not string length.
    expect(isValidUserId(`@${'é'.repeat(125)}:${server}`)).toBe(false);
  });

  it('formats and re-parses any compliant localpart (property)', () => {
    const localpart = fc.stringMatching(/^[a-z0-9._=\-/+]{1,40}$/);
    fc.assert(
      fc.property(localpart, (lp) => {
        const id = parseUserId(formatUserId(lp, 'example.org'), { grammar: 'strict' });
        expect(id.localpart).toBe(lp);
      }),
    );
  });
});

describe('room IDs', () => {
  it('parses pre-v12 room IDs with a server part', () => {
    const id = parseRoomId('!jEsUZKDJdhlrceRyVU:example.org');
    expect(id.opaqueId).toBe('jEsUZKDJdhlrceRyVU');
    expect(id.serverName?.value).toBe('example.org');
  });

  it('parses v12 room IDs (43-char URL-safe hash, no server)', () => {
    const id = parseRoomId('!Nhcu5BS-UMnFX7hBVfVSoXiD7OgH6iRT-xyIuqDnpYQ');
    expect(id.serverName).toBeUndefined();
    expect(id.opaqueId).toHaveLength(43);
    expect(createEventIdFromRoomId(id.value)).toBe('$Nhcu5BS-UMnFX7hBVfVSoXiD7OgH6iRT-xyIuqDnpYQ');
    expect(roomIdFromCreateEventId('$Nhcu5BS-UMnFX7hBVfVSoXiD7OgH6iRT-xyIuqDnpYQ')).toBe(id.value);
  });

  it('rejects malformed room IDs with a reason', () => {
    expect(() => parseRoomId('#a:b')).toThrow('does not start with "!"');
    expect(() => parseRoomId('!short')).toThrow('43 characters');
    expect(() => parseRoomId('!Nhcu5BS+UMnFX7hBVfVSoXiD7OgH6iRT/xyIuqDnpYQ')).toThrow('URL-safe');
    expect(() => parseRoomId('!a\u0000:example.org')).toThrow('NUL');
    expect(isValidRoomId(`!${'a'.repeat(250)}:example.org`)).toBe(false);
  });
});

describe('event IDs', () => {
  it('recognises the three formats', () => {
    expect(parseEventId('$143273582443PhrSn:example.org').format).toBe('server-assigned');
    expect(parseEventId('$acR1l0raoZnm60CBwAVgqbZqoO/mYU81xysh1u7XcJk').format).toBe('base64');
    expect(parseEventId('$Rqnc-F-dvnEYJTyHq_iKxU2bZ1CI92-kuZq3a5lr5Zg').format).toBe('url-safe-base64');
  });

  it('enforces the format a room version demands', () => {
    expect(isValidEventId('$Rqnc-F-dvnEYJTyHq_iKxU2bZ1CI92-kuZq3a5lr5Zg', { format: 'url-safe-base64' })).toBe(true);
    expect(() => parseEventId('$acR1l0raoZnm60CBwAVgqbZqoO/mYU81xysh1u7XcJk', { format: 'url-safe-base64' })).toThrow(
      'requires the url-safe-base64 format',
    );
    expect(() => parseEventId('$abc:example.org', { format: 'base64' })).toThrow(InvalidIdentifierError);
    // A hash with no alphabet-specific characters is valid in both alphabets.
    expect(parseEventId(`$${'A'.repeat(43)}`, { format: 'base64' }).format).toBe('base64');
  });

  it('rejects malformed event IDs', () => {
    expect(() => parseEventId('abc')).toThrow('does not start with "$"');
    expect(() => parseEventId('$tooshort')).toThrow('43-character');
    expect(() => parseEventId(`$${'a'.repeat(250)}:example.org`)).toThrow('255 bytes');
  });
});

describe('room aliases, device IDs and key IDs', () => {
  it('parses aliases', () => {
    const alias = parseRoomAlias('#somewhere:localhost');
    expect(alias.localpart).toBe('somewhere');
    expect(alias.serverName.value).toBe('localhost');
    expect(formatRoomAlias('x', 'example.org')).toBe('#x:example.org');
    expect(isValidRoomAlias('#ünïcode room:example.org')).toBe(true);
    expect(() => parseRoomAlias('#nodomain')).toThrow('no ":server_name"');
    expect(() => parseRoomAlias('!a:b')).toThrow('does not start with "#"');
  });

  it('validates device IDs loosely', () => {
    expect(parseDeviceId('ABCDEFGHIJ')).toBe('ABCDEFGHIJ');
    expect(isValidDeviceId('')).toBe(false);
    expect(isValidDeviceId('a\nb')).toBe(false);
    expect(isValidDeviceId('x'.repeat(256))).toBe(false);
  });

  it('parses key IDs', () => {
    expect(parseKeyId('ed25519:abc123')).toEqual({ value: 'ed25519:abc123', algorithm: 'ed25519', version: 'abc123' });
    expect(formatKeyId('ed25519', 'a_1')).toBe('ed25519:a_1');
    expect(isValidKeyId('ed25519:auto2')).toBe(true);
    expect(() => parseKeyId('ed25519')).toThrow('no ":"');
    expect(() => parseKeyId('ed25519:a-b')).toThrow('version "a-b"');
    expect(() => parseKeyId('ED25519:abc')).toThrow('algorithm "ED25519"');
  });
});
