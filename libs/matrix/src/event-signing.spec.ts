// Event hashing/signing against the spec's "Event Signing" test vectors, event IDs per room
// version, and v12 create-event room IDs.
import { describe, expect, it } from 'vitest';
import { decodeBase64, encodeUrlSafeBase64 } from './base64.ts';
import { encodeCanonicalJson } from './canonical-json.ts';
import { computeEventId, computeRoomIdFromCreateEvent } from './event-id.ts';
import { buildEvent, finalizeEvent, hashAndSignEvent } from './event-signing.ts';
import { computeContentHash, computeReferenceHash, verifyEventHashes } from './hashes.ts';
import type { JsonObject } from './json.ts';
import { SigningKey } from './keys.ts';
import { roomVersion } from './room-version.ts';
import { verifyJsonSignature } from './signing.ts';
import { redactEvent } from './redaction.ts';

const key = SigningKey.fromSeed(decodeBase64('YJDBA9Xnr2sVqXD9Vj7XVUnmFZcZrlw8Md7kMW+3XA1'), '1');
const preV11 = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'];

describe('spec event signing vectors', () => {
  const minimal: JsonObject = {
    room_id: '!x:domain',
    sender: '@a:domain',
    origin: 'domain',
    origin_server_ts: 1000000,
    signatures: {},
    hashes: {},
    type: 'X',
    content: {},
    prev_events: [],
    auth_events: [],
    depth: 3,
    unsigned: { age_ts: 1000000 },
  };
  const minimalSigned: JsonObject = {
    auth_events: [],
    content: {},
    depth: 3,
    hashes: { sha256: '5jM4wQpv6lnBo7CLIghJuHdW+s2CMBJPUOGOC89ncos' },
    origin: 'domain',
    origin_server_ts: 1000000,
    prev_events: [],
    room_id: '!x:domain',
    sender: '@a:domain',
    signatures: {
      domain: {
        'ed25519:1': 'KxwGjPSDEtvnFgU00fwFz+l6d2pJM6XBIaMEn81SXPTRl16AqLAYqfIReFGZlHi5KLjAWbOoMszkwsQma+lYAg',
      },
    },
    type: 'X',
    unsigned: { age_ts: 1000000 },
  };

  it.each(preV11)('signs the minimally-sized event byte for byte (redaction rules of v%s)', (id) => {
    const signed = hashAndSignEvent(minimal, { roomVersion: roomVersion(id), serverName: 'domain', signingKey: key });
    expect(encodeCanonicalJson(signed)).toBe(encodeCanonicalJson(minimalSigned));
  });

  it('signs the event with redactable content byte for byte', () => {
    const event: JsonObject = {
      content: { body: 'Here is the message content' },
      event_id: '$0:domain',
      origin: 'domain',
      origin_server_ts: 1000000,
      type: 'm.room.message',
      room_id: '!r:domain',
      sender: '@u:domain',
      signatures: {},
      unsigned: { age_ts: 1000000 },
    };
    const expected: JsonObject = {
      content: { body: 'Here is the message content' },
      event_id: '$0:domain',
      hashes: { sha256: 'onLKD1bGljeBWQhWZ1kaP9SorVmRQNdN5aM2JYU2n/g' },
      origin: 'domain',
      origin_server_ts: 1000000,
      type: 'm.room.message',
      room_id: '!r:domain',
      sender: '@u:domain',
      signatures: {
        domain: {
          'ed25519:1': 'Wm+VzmOUOz08Ds+0NTWb1d4CZrVsJSikkeRxh6aCcUwu6pNC78FunoD7KNWzqFn241eYHYMGCA5McEiVPdhzBA',
        },
      },
      unsigned: { age_ts: 1000000 },
    };
    const signed = hashAndSignEvent(event, { roomVersion: roomVersion('1'), serverName: 'domain', signingKey: key });
    expect(encodeCanonicalJson(signed)).toBe(encodeCanonicalJson(expected));
    // The signature covers the redacted form, so it still verifies once the body is gone.
    const redacted = redactEvent(signed, roomVersion('1'));
    expect(() => verifyJsonSignature(redacted, 'domain', { keyId: 'ed25519:1', publicKey: key.publicKey })).not.toThrow();
    expect(verifyEventHashes(signed)).toBe(true);
    expect(verifyEventHashes(redacted)).toBe(false);
  });

  it('v11 no longer keeps `origin`, so the same event signs differently', () => {
    const signed = hashAndSignEvent(minimal, { roomVersion: roomVersion('11'), serverName: 'domain', signingKey: key });
    expect(signed['hashes']).toEqual(minimalSigned['hashes']);
    expect(signed['signatures']).not.toEqual(minimalSigned['signatures']);
  });
});

describe('event IDs and room IDs', () => {
  const base = (version: string): JsonObject => ({
    type: 'm.room.message',
    sender: '@alice:example.org',
    room_id: '!room:example.org',
    content: { body: 'hi', msgtype: 'm.text' },
    origin_server_ts: 1700000000000,
    depth: 5,
    prev_events: [],
    auth_events: [],
    ...(version === '1' || version === '2' ? { event_id: '$abc:example.org' } : {}),
  });

  it('takes the server-assigned ID in v1–v2', () => {
    expect(computeEventId(base('1'), roomVersion('1'))).toBe('$abc:example.org');
  });

  it('uses standard base64 of the reference hash in v3 and URL-safe from v4', () => {
    const event = base('3');
    const hash = computeReferenceHash(event, roomVersion('3'));
    const v3 = computeEventId(event, roomVersion('3'));
    const v4 = computeEventId(event, roomVersion('4'));
    expect(v3).toMatch(/^\$[A-Za-z0-9+/]{43}$/);
    expect(v4).toBe(`$${encodeUrlSafeBase64(hash)}`);
    expect(v4.slice(1)).toBe(v3.slice(1).replaceAll('+', '-').replaceAll('/', '_'));
  });

  it('ignores unsigned, signatures and redactable content in the reference hash', () => {
    const version = roomVersion('10');
    const event = base('10');
    const other = { ...event, content: { body: 'changed' }, unsigned: { age: 1 }, signatures: { x: { 'ed25519:1': 'y' } } };
    expect(computeEventId(other, version)).toBe(computeEventId(event, version));
    expect(computeContentHash(other)).not.toEqual(computeContentHash(event));
  });

  it('builds a v12 create event without room_id whose ID defines the room ID', () => {
    const options = { roomVersion: roomVersion('12'), serverName: 'example.org', signingKey: key };
    const create = buildEvent(
      {
        type: 'm.room.create',
        stateKey: '',
        sender: '@alice:example.org',
        content: { room_version: '12', additional_creators: ['@bob:example.org'] },
        prevEvents: [],
        authEvents: [],
        depth: 1,
        originServerTs: 1700000000000,
      },
      options,
    );
    expect(create.pdu['room_id']).toBeUndefined();
    expect(create.roomId).toBe(`!${create.eventId.slice(1)}`);
    expect(create.roomId).toBe(computeRoomIdFromCreateEvent(create.pdu, roomVersion('12')));
    expect(create.roomId).toMatch(/^![A-Za-z0-9_-]{43}$/);
    const member = buildEvent(
      {
        type: 'm.room.member',
        stateKey: '@alice:example.org',
        sender: '@alice:example.org',
        roomId: create.roomId,
        content: { membership: 'join' },
        prevEvents: [create.eventId],
        authEvents: [],
        depth: 2,
        originServerTs: 1700000000001,
      },
      options,
    );
    expect(member.roomId).toBe(create.roomId);
    expect(() =>
      buildEvent(
        { type: 'm.room.message', sender: '@alice:example.org', roomId: create.roomId, content: {}, prevEvents: [member.eventId], authEvents: [create.eventId], depth: 3, originServerTs: 2 },
        options,
      ),
    ).toThrow('must not list the create event');
    expect(member.prevEventIds).toEqual([create.eventId]);
  });

  it('places redacts top-level before v11 and in content from v11', () => {
    const fields = {
      type: 'm.room.redaction',
      sender: '@alice:example.org',
      roomId: '!room:example.org',
      content: { reason: 'spam' },
      prevEvents: [],
      authEvents: [],
      depth: 3,
      originServerTs: 1,
      redacts: '$target',
    };
    const v10 = buildEvent(fields, { roomVersion: roomVersion('10'), serverName: 'example.org', signingKey: key });
    const v11 = buildEvent(fields, { roomVersion: roomVersion('11'), serverName: 'example.org', signingKey: key });
    expect(v10.pdu['redacts']).toBe('$target');
    expect(v10.redacts).toBe('$target');
    expect(v11.pdu['redacts']).toBeUndefined();
    expect(v11.content['redacts']).toBe('$target');
    expect(v11.redacts).toBe('$target');
  });

  it('builds v1 events with [id, hashes] references and the caller’s event ID', () => {
    const options = { roomVersion: roomVersion('1'), serverName: 'example.org', signingKey: key };
    const fields = {
      type: 'm.room.message',
      sender: '@alice:example.org',
      roomId: '!room:example.org',
      content: { body: 'x' },
      prevEvents: ['$prev:example.org'],
      authEvents: ['$create:example.org'],
      depth: 3,
      originServerTs: 1,
    };
    expect(() => buildEvent(fields, options)).toThrow('event_id');
    const event = buildEvent({ ...fields, eventId: '$new:example.org' }, options);
    expect(event.eventId).toBe('$new:example.org');
    expect(event.pdu['prev_events']).toEqual([['$prev:example.org', {}]]);
    expect(event.prevEventIds).toEqual(['$prev:example.org']);
    expect(event.authEventIds).toEqual(['$create:example.org']);
  });

  it('finalizeEvent replaces stale hashes', () => {
    const event = finalizeEvent(
      { ...base('11'), hashes: { sha256: 'stale' } },
      { roomVersion: roomVersion('11'), serverName: 'example.org', signingKey: key },
    );
    expect(verifyEventHashes(event.pdu)).toBe(true);
  });
});
