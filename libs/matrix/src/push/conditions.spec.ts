import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../json.ts';
import { conditionMatches, eventProperty, roomMemberCountMatches } from './conditions.ts';
import type { PushCondition, PushContext } from './push-rule.ts';

const context: PushContext = { userId: '@me:example.org', displayName: 'Mia', roomMemberCount: 5, senderPowerLevel: 50 };
const event: JsonObject = {
  type: 'm.room.create',
  sender: '@example:example.org',
  state_key: '',
  content: {
    'm.federate': true,
    body: 'hello Mia!',
    alt_aliases: ['#somewhere:example.org', '#myroom:example.com', 7, null, { a: 1 }],
    'm\\odd': 'backslash key',
    count: 3,
    nothing: null,
  },
};
const match = (c: PushCondition, e: JsonObject = event, ctx: PushContext = context) => conditionMatches(c, e, ctx);

describe('dotted paths', () => {
  it('follows escapes for . and \\', () => {
    expect(eventProperty(event, 'content.m\\.federate')).toBe(true);
    expect(eventProperty(event, 'content.m\\\\odd')).toBe('backslash key');
    expect(eventProperty(event, 'content.m.federate')).toBeUndefined();
    expect(eventProperty(event, 'content.missing.deeper')).toBeUndefined();
  });
});

describe('conditions', () => {
  it('event_match requires a string value', () => {
    expect(match({ kind: 'event_match', key: 'type', pattern: 'm.room.*' })).toBe(true);
    expect(match({ kind: 'event_match', key: 'content.count', pattern: '*' })).toBe(false);
    expect(match({ kind: 'event_match', key: 'content.absent', pattern: '*' })).toBe(false);
    expect(match({ kind: 'event_match', key: 'state_key', pattern: '' })).toBe(true);
  });

  it('event_property_is matches exactly without casting (spec example m.federate)', () => {
    expect(match({ kind: 'event_property_is', key: 'content.m\\.federate', value: true })).toBe(true);
    expect(match({ kind: 'event_property_is', key: 'content.m\\.federate', value: 'true' })).toBe(false);
    expect(match({ kind: 'event_property_is', key: 'content.m\\.federate', value: 1 })).toBe(false);
    expect(match({ kind: 'event_property_is', key: 'content.nothing', value: null })).toBe(true);
    expect(match({ kind: 'event_property_is', key: 'content.absent', value: null })).toBe(false);
    expect(match({ kind: 'event_property_is', key: 'content.alt_aliases', value: null })).toBe(false);
  });

  it('event_property_contains matches whole array items only (spec example alt_aliases)', () => {
    expect(match({ kind: 'event_property_contains', key: 'content.alt_aliases', value: '#myroom:example.com' })).toBe(true);
    expect(match({ kind: 'event_property_contains', key: 'content.alt_aliases', value: ':example.com' })).toBe(false);
    expect(match({ kind: 'event_property_contains', key: 'content.alt_aliases', value: 7 })).toBe(true);
    expect(match({ kind: 'event_property_contains', key: 'content.alt_aliases', value: null })).toBe(true);
    expect(match({ kind: 'event_property_contains', key: 'content.body', value: 'hello Mia!' })).toBe(false);
  });

  it('contains_display_name needs a display name at a word boundary', () => {
    expect(match({ kind: 'contains_display_name' })).toBe(true);
    expect(match({ kind: 'contains_display_name' }, event, { ...context, displayName: 'ia' })).toBe(false);
    expect(match({ kind: 'contains_display_name' }, event, { ...context, displayName: '' })).toBe(false);
    expect(match({ kind: 'contains_display_name' }, event, { ...context, displayName: undefined })).toBe(false);
  });

  it.each([
    ['2', 2, true], ['2', 3, false], ['==5', 5, true], ['<5', 4, true], ['<5', 5, false],
    ['>5', 6, true], ['>5', 5, false], ['<=5', 5, true], ['>=5', 5, true], ['>=5', 4, false],
    ['=5', 5, false], ['five', 5, false], ['', 0, false],
  ] as [string, number, boolean][])('room_member_count is %j with %i members → %s', (is, count, expected) => {
    expect(roomMemberCountMatches(is, count)).toBe(expected);
    expect(match({ kind: 'room_member_count', is }, event, { ...context, roomMemberCount: count })).toBe(expected);
  });

  it('sender_notification_permission compares with notifications levels (default 50)', () => {
    const c: PushCondition = { kind: 'sender_notification_permission', key: 'room' };
    expect(match(c, event, { ...context, senderPowerLevel: 50 })).toBe(true);
    expect(match(c, event, { ...context, senderPowerLevel: 49 })).toBe(false);
    expect(match(c, event, { ...context, senderPowerLevel: 10, notificationPowerLevels: { room: 10 } })).toBe(true);
    expect(match(c, event, { ...context, senderPowerLevel: 99, notificationPowerLevels: { room: 100 } })).toBe(false);
  });

  it('unknown kinds and malformed parameters never match', () => {
    expect(match({ kind: 'org.example.custom', key: 'type' })).toBe(false);
    expect(match({ kind: 'event_match', key: 'type' } as unknown as PushCondition)).toBe(false);
    expect(match({ kind: 'event_property_is', key: 'content', value: { a: 1 } } as unknown as PushCondition)).toBe(false);
  });
});
