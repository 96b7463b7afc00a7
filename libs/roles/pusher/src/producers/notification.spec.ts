import type { PusherRow, StoredEvent } from '@homeserver/storage';
import { describe, expect, it } from 'vitest';
import { badgeNotification, eventNotification, tweaksOf } from './notification.ts';

const pusher: PusherRow = {
  id: 1,
  userId: '@bob:x',
  deviceId: 'D',
  kind: 'http',
  appId: 'app',
  appDisplayName: 'App',
  deviceDisplayName: 'Phone',
  pushkey: 'key',
  pushkeyTs: 1_700_000_000_123,
  lang: 'en',
  data: { url: 'https://gw/_matrix/push/v1/notify', extra: 1 },
  profileTag: '',
};

const event = (type: string, content: Record<string, unknown>, stateKey?: string): StoredEvent => ({
  eventId: '$e',
  roomId: '!r:x',
  type,
  stateKey,
  sender: '@alice:x',
  depth: 3,
  originServerTs: 1,
  streamOrdering: 10,
  instanceName: 'main',
  pdu: { type, content, sender: '@alice:x' },
  redacts: undefined,
  redactedBy: undefined,
  rejected: undefined,
  stateGroupBefore: undefined,
  stateGroupAfter: undefined,
});

describe('push gateway notifications', () => {
  it('turns set_tweak actions into tweaks, a missing value meaning true', () => {
    expect(tweaksOf(['notify', { set_tweak: 'sound', value: 'default' }, { set_tweak: 'highlight' }])).toEqual({ sound: 'default', highlight: true });
  });

  it('sends the full format with names, counts, devices without the url, and priority', () => {
    const body = eventNotification({
      event: event('m.room.message', { body: 'hi' }),
      pusher,
      actions: ['notify'],
      counts: { unread: 2, missedCalls: 0 },
      senderDisplayName: 'Alice',
      roomName: 'Room',
    });
    expect(body).toEqual({
      notification: {
        id: '$e',
        event_id: '$e',
        room_id: '!r:x',
        type: 'm.room.message',
        sender: '@alice:x',
        sender_display_name: 'Alice',
        room_name: 'Room',
        content: { body: 'hi' },
        prio: 'low',
        counts: { unread: 2, missed_calls: 0 },
        devices: [{ app_id: 'app', pushkey: 'key', pushkey_ts: 1_700_000_000, data: { extra: 1 }, tweaks: {} }],
      },
    });
  });

  it('names a room without a name by its canonical alias', () => {
    const body = eventNotification({ event: event('m.room.message', { body: 'hi' }), pusher, actions: ['notify'], counts: { unread: 1, missedCalls: 0 }, roomAlias: '#room:x' });
    expect(body.notification).toMatchObject({ room_name: '#room:x', room_alias: '#room:x' });
  });

  it('marks an invite of the pusher owner as user_is_target, high priority when it sounds', () => {
    const body = eventNotification({ event: event('m.room.member', { membership: 'invite' }, '@bob:x'), pusher, actions: ['notify', { set_tweak: 'sound', value: 'default' }], counts: { unread: 1, missedCalls: 0 } });
    expect(body.notification).toMatchObject({ user_is_target: true, membership: 'invite', prio: 'high' });
  });

  it('sends only IDs, counts, prio and devices in the event_id_only format', () => {
    const idOnly = { ...pusher, data: { url: 'u', format: 'event_id_only' } };
    const body = eventNotification({ event: event('m.room.encrypted', { ciphertext: 'x' }), pusher: idOnly, actions: ['notify'], counts: { unread: 1, missedCalls: 1 } });
    expect(body.notification).toEqual({
      event_id: '$e',
      room_id: '!r:x',
      prio: 'high',
      counts: { unread: 1, missed_calls: 1 },
      devices: [{ app_id: 'app', pushkey: 'key', pushkey_ts: 1_700_000_000, data: { format: 'event_id_only' }, tweaks: {} }],
    });
  });

  it('sends a counts-only update for badges', () => {
    expect(badgeNotification(pusher, { unread: 0, missedCalls: 0 })).toEqual({
      notification: { id: '', type: null, sender: '', counts: { unread: 0, missed_calls: 0 }, devices: [{ app_id: 'app', pushkey: 'key', pushkey_ts: 1_700_000_000, data: { extra: 1 } }] },
    });
  });
});
