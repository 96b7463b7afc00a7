import { parseAppserviceRegistration } from '@homeserver/config';
import { describe, expect, it } from 'vitest';
import { eventInterests } from './interest.ts';

const bridge = parseAppserviceRegistration(
  'irc.yaml',
  {
    id: 'irc',
    url: null,
    as_token: 'a',
    hs_token: 'h',
    sender_localpart: 'ircbot',
    namespaces: { users: [{ exclusive: true, regex: '@irc_.*' }], aliases: [{ exclusive: false, regex: '#irc_.*' }], rooms: [{ exclusive: false, regex: '!bridged.*' }] },
  },
  'x.org',
);
const message = { roomId: '!r:x.org', sender: '@alice:x.org', type: 'm.room.message', stateKey: undefined };
const nobody = { members: ['@alice:x.org'], aliases: [] };

describe('eventInterests', () => {
  it('takes events whose sender, member state key, room members, alias or room ID are in a namespace', () => {
    expect(eventInterests(bridge, message, nobody)).toBe(false);
    expect(eventInterests(bridge, { ...message, sender: '@irc_bob:x.org' }, nobody)).toBe(true);
    expect(eventInterests(bridge, { ...message, sender: '@ircbot:x.org' }, nobody)).toBe(true);
    expect(eventInterests(bridge, { ...message, type: 'm.room.member', stateKey: '@irc_bob:x.org' }, nobody)).toBe(true);
    // A state key only counts for member events.
    expect(eventInterests(bridge, { ...message, type: 'm.room.topic', stateKey: '@irc_bob:x.org' }, nobody)).toBe(false);
    expect(eventInterests(bridge, message, { members: ['@alice:x.org', '@irc_bob:x.org'], aliases: [] })).toBe(true);
    expect(eventInterests(bridge, message, { members: ['@alice:x.org'], aliases: ['#irc_chan:x.org'] })).toBe(true);
    expect(eventInterests(bridge, { ...message, roomId: '!bridged1:x.org' }, nobody)).toBe(true);
  });
});
