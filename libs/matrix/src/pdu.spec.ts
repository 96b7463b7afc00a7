import { describe, expect, it } from 'vitest';
import { EventSizeError, PduFormatError } from './errors.ts';
import { buildEvent } from './event-signing.ts';
import { MAX_EVENT_BYTES, checkEventSize, eventSize } from './event-size.ts';
import type { JsonObject, JsonValue } from './json.ts';
import { SigningKey } from './keys.ts';
import { parsePdu } from './pdu.ts';
import { roomVersion } from './room-version.ts';

const key = SigningKey.fromSeed(new Uint8Array(32).fill(9), 'k');
const v11 = roomVersion('11');
const good = buildEvent(
  {
    type: 'm.room.member',
    stateKey: '@alice:example.org',
    sender: '@alice:example.org',
    roomId: '!room:example.org',
    content: { membership: 'join' },
    prevEvents: ['$Rqnc-F-dvnEYJTyHq_iKxU2bZ1CI92-kuZq3a5lr5Zg'],
    authEvents: ['$Rqnc-F-dvnEYJTyHq_iKxU2bZ1CI92-kuZq3a5lr5Zh'],
    depth: 4,
    originServerTs: 1700000000000,
  },
  { roomVersion: v11, serverName: 'example.org', signingKey: key },
).pdu;

function expectPduError(json: JsonValue, field: string, reason: string, version = v11): void {
  try {
    parsePdu(json, version);
    expect.unreachable('should have thrown');
  } catch (error) {
    expect(error).toBeInstanceOf(PduFormatError);
    expect((error as PduFormatError).field).toBe(field);
    expect((error as PduFormatError).message).toContain(reason);
  }
}

describe('parsePdu', () => {
  it('builds the RoomEvent', () => {
    const event = parsePdu(good, v11);
    expect(event).toMatchObject({
      type: 'm.room.member',
      stateKey: '@alice:example.org',
      sender: '@alice:example.org',
      roomId: '!room:example.org',
      depth: 4,
      originServerTs: 1700000000000,
      redacts: undefined,
      roomVersion: v11,
    });
    expect(event.eventId).toMatch(/^\$[A-Za-z0-9_-]{43}$/);
    expect(event.pdu).toBe(good);
  });

  it.each([
    [{ type: 5 }, 'type', 'must be a string'],
    [{ sender: 'alice' }, 'sender', 'does not start with "@"'],
    [{ content: [] }, 'content', 'must be an object'],
    [{ depth: -1 }, 'depth', 'negative'],
    [{ origin_server_ts: '1' }, 'origin_server_ts', 'integer'],
    [{ state_key: 3 }, 'state_key', 'string'],
    [{ hashes: {} }, 'hashes', 'sha256'],
    [{ signatures: { 'example.org': { 'ed25519:k': 1 } } }, 'signatures.example.org', 'base64 strings'],
    [{ room_id: 'room' }, 'room_id', 'does not start with "!"'],
    [{ prev_events: 'x' }, 'prev_events', 'must be an array'],
    [{ prev_events: [['$a:b', {}]] }, 'prev_events[0]', 'event ID string'],
    [{ auth_events: ['$short'] }, 'auth_events[0]', 'is invalid'],
    [{ auth_events: Array.from({ length: 11 }, () => '$Rqnc-F-dvnEYJTyHq_iKxU2bZ1CI92-kuZq3a5lr5Zg') }, 'auth_events', 'limit of 10'],
    [{ content: { n: 1.5 } }, 'content.n', 'not canonical JSON'],
    [{ type: 'x'.repeat(256) }, 'type', 'over the limit'],
  ] as [JsonObject, string, string][])('rejects %o as %s', (patch, field, reason) => {
    if (reason === 'over the limit') {
      expect(() => parsePdu({ ...good, ...patch }, v11)).toThrow(EventSizeError);
      return;
    }
    expectPduError({ ...good, ...patch }, field, reason);
  });

  it('tolerates floats in legacy room versions', () => {
    const legacy = { ...good, content: { membership: 'join', n: 1.5 }, prev_events: [], auth_events: [] };
    expect(parsePdu(legacy, roomVersion('5')).content['n']).toBe(1.5);
  });

  it('demands v1–v2 shapes: event_id and [id, hashes] pairs', () => {
    const v1 = roomVersion('1');
    const legacy = { ...good, prev_events: [['$p:example.org', { sha256: 'x' }]], auth_events: [], event_id: '$e:example.org' };
    const event = parsePdu(legacy, v1);
    expect(event.eventId).toBe('$e:example.org');
    expect(event.prevEventIds).toEqual(['$p:example.org']);
    expectPduError({ ...legacy, event_id: undefined } as unknown as JsonObject, 'event_id', 'required', v1);
    expectPduError({ ...legacy, prev_events: ['$p:example.org'] }, 'prev_events[0]', 'pair', v1);
  });

  it('enforces v12 room ID rules', () => {
    const v12 = roomVersion('12');
    expectPduError(good, 'room_id', 'without server name', v12);
    const create: JsonObject = { ...good, type: 'm.room.create', state_key: '', content: { room_version: '12' }, prev_events: [], auth_events: [] };
    expectPduError(create, 'room_id', 'must be absent', v12);
    const { room_id: _r, ...noRoom } = create;
    const event = parsePdu(noRoom, v12);
    expect(event.roomId).toBe(`!${event.eventId.slice(1)}`);
  });

  it('reads redacts from the version’s location', () => {
    const { state_key: _sk, ...rest } = good;
    const redaction: JsonObject = { ...rest, type: 'm.room.redaction', content: { redacts: '$in-content' }, redacts: '$top' };
    expect(parsePdu(redaction, v11).redacts).toBe('$in-content');
    expect(parsePdu(redaction, roomVersion('10')).redacts).toBe('$top');
    expectPduError({ ...redaction, redacts: 5 }, 'redacts', 'event ID string', roomVersion('10'));
  });
});

describe('event size limits', () => {
  it('allows exactly 65536 bytes and rejects one more', () => {
    const base = { ...good, content: { membership: 'join', pad: '' } };
    const padding = MAX_EVENT_BYTES - eventSize(base);
    const atLimit = { ...base, content: { membership: 'join', pad: 'x'.repeat(padding) } };
    expect(eventSize(atLimit)).toBe(MAX_EVENT_BYTES);
    expect(() => checkEventSize(atLimit)).not.toThrow();
    const over = { ...base, content: { membership: 'join', pad: 'x'.repeat(padding + 1) } };
    expect(() => checkEventSize(over)).toThrow('65537 bytes, over the limit of 65536');
  });

  it.each(['sender', 'room_id', 'state_key', 'type', 'event_id'])('limits %s to 255 bytes', (field) => {
    expect(() => checkEventSize({ [field]: 'é'.repeat(128) })).toThrow(`field ${field} is 256 bytes`);
    expect(() => checkEventSize({ [field]: 'x'.repeat(255) })).not.toThrow();
  });
});
