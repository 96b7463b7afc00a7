import { describe, expect, it } from 'vitest';
import { DEFAULT_FILTER, InvalidFilterError, applyEventFields, eventMatches, parseFilter, roomEventMatches } from './filter.ts';

describe('parseFilter', () => {
  it('fills defaults and reads the spec example', () => {
    const filter = parseFilter({
      room: { state: { types: ['m.room.*'], not_rooms: ['!726s6s6q:example.com'] }, timeline: { limit: 10, types: ['m.room.message'], lazy_load_members: true } },
      presence: { types: ['m.presence'], not_senders: ['@alice:example.com'] },
      event_format: 'client',
      event_fields: ['type', 'content', 'sender'],
    });
    expect(filter.room.timeline.limit).toBe(10);
    expect(filter.room.timeline.lazyLoadMembers).toBe(true);
    expect(filter.room.state.notRooms).toEqual(['!726s6s6q:example.com']);
    expect(filter.room.includeLeave).toBe(false);
    expect(DEFAULT_FILTER.room.timeline.types).toBeUndefined();
  });

  it('names the bad field', () => {
    expect(() => parseFilter({ room: { timeline: { limit: 'ten' } } })).toThrow(/room.timeline.limit/);
    expect(() => parseFilter({ room: { timeline: { limit: -1 } } })).toThrow(/room.timeline.limit/);
    expect(parseFilter({ room: { timeline: { limit: 0 } } }).room.timeline.limit).toBe(0);
    expect(() => parseFilter({ room: { state: { types: [1] } } })).toThrow(InvalidFilterError);
    expect(() => parseFilter({ event_format: 'x' })).toThrow(/event_format/);
    // Room and sender lists hold IDs (Synapse's schema; Sytest's torture filters).
    expect(() => parseFilter({ room: { timeline: { rooms: ['not_a_room_id'] } } })).toThrow(/room.timeline.rooms/);
    expect(() => parseFilter({ room: { not_rooms: ['nope'] } })).toThrow(/room.not_rooms/);
    expect(() => parseFilter({ room: { timeline: { senders: ['not_a_sender_id'] } } })).toThrow(/room.timeline.senders/);
    expect(() => parseFilter({ presence: { not_senders: ['@nocolon'] } })).toThrow(/presence.not_senders/);
    expect(parseFilter({ room: { rooms: ['!r:x', '!v12roomid'], timeline: { senders: ['@a:x'] } } }).room.timeline.senders).toEqual(['@a:x']);
    expect(() => parseFilter([])).toThrow(/filter must be an object/);
  });
});

describe('matching', () => {
  it('applies type globs, senders and rooms with not_* winning', () => {
    const f = parseFilter({ room: { timeline: { types: ['m.room.*'], not_types: ['m.room.member'], not_senders: ['@bad:x'], rooms: ['!a:x'] } } }).room.timeline;
    expect(roomEventMatches(f, { type: 'm.room.message', sender: '@a:x', room_id: '!a:x' })).toBe(true);
    expect(roomEventMatches(f, { type: 'm.room.member', sender: '@a:x', room_id: '!a:x' })).toBe(false);
    expect(roomEventMatches(f, { type: 'm.room.message', sender: '@bad:x', room_id: '!a:x' })).toBe(false);
    expect(roomEventMatches(f, { type: 'm.room.message', sender: '@a:x', room_id: '!b:x' })).toBe(false);
    expect(roomEventMatches(f, { type: 'org.custom', sender: '@a:x', room_id: '!a:x' })).toBe(false);
    expect(eventMatches(DEFAULT_FILTER.presence, { type: 'm.presence', sender: '@a:x' })).toBe(true);
  });

  it('filters contains_url and event_fields', () => {
    const f = parseFilter({ room: { timeline: { contains_url: true } } }).room.timeline;
    expect(roomEventMatches(f, { type: 'm.room.message', content: { url: 'mxc://x/y' } })).toBe(true);
    expect(roomEventMatches(f, { type: 'm.room.message', content: { body: 'hi' } })).toBe(false);
    expect(applyEventFields({ type: 't', content: { body: 'b', 'm.x': 1, other: 2 }, sender: '@a:x' }, ['type', 'content.body', 'content.m\\.x'])).toEqual({
      type: 't',
      content: { body: 'b', 'm.x': 1 },
    });
  });
});
