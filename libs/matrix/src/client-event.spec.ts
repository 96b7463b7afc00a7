import { describe, expect, it } from 'vitest';
import { toClientEvent } from './client-event.ts';
import { buildEvent } from './event-signing.ts';
import { SigningKey } from './keys.ts';
import { roomVersion } from './room-version.ts';

const key = SigningKey.fromSeed(new Uint8Array(32).fill(4), 'c');
const fields = {
  type: 'm.room.topic',
  stateKey: '',
  sender: '@alice:example.org',
  roomId: '!room:example.org',
  content: { topic: 'lunch' },
  prevEvents: [],
  authEvents: [],
  depth: 3,
  originServerTs: 1234,
};

describe('toClientEvent', () => {
  const event = buildEvent(fields, { roomVersion: roomVersion('11'), serverName: 'example.org', signingKey: key });

  it('keeps the client keys and drops federation-only keys', () => {
    expect(toClientEvent(event, { unsigned: { age: 5 } })).toEqual({
      event_id: event.eventId,
      type: 'm.room.topic',
      sender: '@alice:example.org',
      origin_server_ts: 1234,
      room_id: '!room:example.org',
      state_key: '',
      content: { topic: 'lunch' },
      unsigned: { age: 5 },
    });
  });

  it('omits room_id on request and empty unsigned always', () => {
    const out = toClientEvent(event, { omitRoomId: true, unsigned: {} });
    expect(out).not.toHaveProperty('room_id');
    expect(out).not.toHaveProperty('unsigned');
  });

  it('exposes redacts both top-level and in content for any room version', () => {
    for (const id of ['10', '11']) {
      const redaction = buildEvent(
        { ...fields, type: 'm.room.redaction', stateKey: undefined, content: {}, redacts: '$target' },
        { roomVersion: roomVersion(id), serverName: 'example.org', signingKey: key },
      );
      const out = toClientEvent(redaction);
      expect(out['redacts']).toBe('$target');
      expect(out['content']).toEqual({ redacts: '$target' });
      expect(out).not.toHaveProperty('state_key');
    }
  });
});
