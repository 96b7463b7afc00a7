// The redaction algorithm, checked against the key lists transcribed from each room
// version's page (v1 for 1–5, v6 for 6–7, v8, v9 for 9–10, v11 for 11–12).
import { describe, expect, it } from 'vitest';
import type { JsonObject } from './json.ts';
import { redactEvent } from './redaction.ts';
import { roomVersion } from './room-version.ts';

const fullEvent = (type: string, content: JsonObject): JsonObject => ({
  event_id: '$e:example.org',
  type,
  room_id: '!r:example.org',
  sender: '@a:example.org',
  state_key: '',
  content,
  hashes: { sha256: 'x' },
  signatures: {},
  depth: 1,
  prev_events: [],
  prev_state: [],
  auth_events: [],
  origin: 'example.org',
  origin_server_ts: 1,
  membership: 'join',
  unsigned: { age: 1 },
  redacts: '$x',
  extra: true,
});

const topLevelOld = [
  'auth_events', 'content', 'depth', 'event_id', 'hashes', 'membership', 'origin', 'origin_server_ts',
  'prev_events', 'prev_state', 'room_id', 'sender', 'signatures', 'state_key', 'type',
];
const topLevelV11 = [
  'auth_events', 'content', 'depth', 'event_id', 'hashes', 'origin_server_ts', 'prev_events', 'room_id',
  'sender', 'signatures', 'state_key', 'type',
];

const allContent: JsonObject = {
  membership: 'join',
  join_authorised_via_users_server: '@x:example.org',
  third_party_invite: { display_name: 'x', signed: { mxid: '@a:b', token: 't', signatures: {} } },
  creator: '@a:example.org',
  room_version: '11',
  additional_creators: ['@b:example.org'],
  join_rule: 'restricted',
  allow: [],
  ban: 50, events: {}, events_default: 0, invite: 0, kick: 50, redact: 50, state_default: 50, users: {}, users_default: 0,
  notifications: { room: 50 },
  aliases: ['#a:b'],
  history_visibility: 'shared',
  redacts: '$x',
  body: 'gone',
};

type Table = Record<string, string[]>;
const v1Table: Table = {
  'm.room.member': ['membership'],
  'm.room.create': ['creator'],
  'm.room.join_rules': ['join_rule'],
  'm.room.power_levels': ['ban', 'events', 'events_default', 'kick', 'redact', 'state_default', 'users', 'users_default'],
  'm.room.aliases': ['aliases'],
  'm.room.history_visibility': ['history_visibility'],
  'm.room.redaction': [],
  'm.room.message': [],
};
const v6Table: Table = { ...v1Table, 'm.room.aliases': [] };
const v8Table: Table = { ...v6Table, 'm.room.join_rules': ['join_rule', 'allow'] };
const v9Table: Table = { ...v8Table, 'm.room.member': ['membership', 'join_authorised_via_users_server'] };
const v11Table: Table = {
  ...v9Table,
  'm.room.member': ['membership', 'join_authorised_via_users_server', 'third_party_invite'],
  'm.room.create': Object.keys(allContent),
  'm.room.power_levels': ['ban', 'events', 'events_default', 'invite', 'kick', 'redact', 'state_default', 'users', 'users_default'],
  'm.room.redaction': ['redacts'],
};
const byVersion: [string, Table, string[]][] = [
  ['1', v1Table, topLevelOld], ['3', v1Table, topLevelOld], ['5', v1Table, topLevelOld],
  ['6', v6Table, topLevelOld], ['7', v6Table, topLevelOld], ['8', v8Table, topLevelOld],
  ['9', v9Table, topLevelOld], ['10', v9Table, topLevelOld], ['11', v11Table, topLevelV11], ['12', v11Table, topLevelV11],
];

describe('redactEvent', () => {
  for (const [id, table, topLevel] of byVersion) {
    it.each(Object.keys(table))(`v${id}: %s keeps exactly the listed keys`, (type) => {
      const redacted = redactEvent(fullEvent(type, allContent), roomVersion(id));
      expect(Object.keys(redacted).sort()).toEqual([...topLevel].sort());
      expect(Object.keys(redacted['content'] as JsonObject).sort()).toEqual([...table[type]!].sort());
    });
  }

  it('v11 keeps only `signed` of third_party_invite', () => {
    const redacted = redactEvent(fullEvent('m.room.member', allContent), roomVersion('11'));
    expect((redacted['content'] as JsonObject)['third_party_invite']).toEqual({
      signed: { mxid: '@a:b', token: 't', signatures: {} },
    });
  });

  it('v12 keeps additional_creators in create content', () => {
    const redacted = redactEvent(fullEvent('m.room.create', allContent), roomVersion('12'));
    expect((redacted['content'] as JsonObject)['additional_creators']).toEqual(['@b:example.org']);
  });

  it('does not modify its input and adds empty content when missing', () => {
    const event = fullEvent('m.room.message', { body: 'x' });
    const before = JSON.stringify(event);
    redactEvent(event, roomVersion('11'));
    expect(JSON.stringify(event)).toBe(before);
    expect(redactEvent({ type: 'm.room.message' }, roomVersion('11'))).toEqual({ type: 'm.room.message', content: {} });
  });
});
