// Authorization table: m.room.power_levels — value shapes per room version, v12 creators,
// and the rules against granting or removing power one does not hold.
import { describe } from 'vitest';
import type { JsonObject } from '../json.ts';
import { ALL, runAuthCases, V, type AuthCase } from './auth-table.ts';
import { ALICE, BOB, CHARLIE, EVE, standardRoom, TestRoom, ZARA } from './test-builder.ts';

const DAVE = '@dave:example.org';
/** A room where bob (50) may send power levels, dave also has 50, and charlie 0. */
const modRoom = (extra: JsonObject = {}) => (v: string) =>
  standardRoom(v, { users: { [DAVE]: 50 }, members: [BOB, CHARLIE, DAVE], powerLevels: { events: { 'm.room.power_levels': 50 }, ...extra } });
/** New power levels content: the current content with `change` merged in. */
const pl = (sender: string, change: (current: JsonObject) => JsonObject) => (r: TestRoom) => {
  const current = r.event(r.state.get('m.room.power_levels\u0000')!).content;
  return r.build({ type: 'm.room.power_levels', sender, stateKey: '', content: change(structuredClone(current) as JsonObject) });
};
const users = (c: JsonObject) => c['users'] as JsonObject;
const setUser = (user: string, level: unknown) => (c: JsonObject) => ((users(c)[user] = level as number), c);
const set = (key: string, value: unknown) => (c: JsonObject) => ((c[key] = value as number), c);
const creatorRoom = (v: string) => {
  const room = new TestRoom(v, { createContent: { additional_creators: [ZARA] } });
  room.member(ALICE, 'join');
  return room;
};
const firstPl = (content: JsonObject) => (r: TestRoom) => r.build({ type: 'm.room.power_levels', sender: ALICE, stateKey: '', content });

const cases: AuthCase[] = [
  { name: 'first power levels by the creator', versions: ALL, room: creatorRoom, event: firstPl({ users: { [BOB]: 50 } }), expect: 'allow' },
  { name: 'first power levels granting anything (no previous levels)', versions: ALL, room: creatorRoom, event: firstPl({ users: { [BOB]: 9000 }, ban: 9000 }), expect: 'allow' },
  { name: 'power levels listing the creator', versions: V.upTo(11), room: creatorRoom, event: firstPl({ users: { [ALICE]: 100 } }), expect: 'allow' },
  { name: 'power levels listing the creator', versions: ['12'], room: creatorRoom, event: firstPl({ users: { [ALICE]: 100 } }), expect: 'power_levels.lists_creator' },
  { name: 'power levels listing an additional creator', versions: ['12'], room: creatorRoom, event: firstPl({ users: { [ZARA]: 100 } }), expect: 'power_levels.lists_creator' },
  { name: 'creator grants far above 100', versions: ['12'], event: pl(ALICE, setUser(CHARLIE, 1_000_000)), expect: 'allow' },
  { name: 'admin grants above own level', versions: V.upTo(11), event: pl(ALICE, setUser(CHARLIE, 1_000_000)), expect: 'power_levels.new_above_sender' },
  { name: 'moderator raises own level', versions: ALL, room: modRoom(), event: pl(BOB, setUser(BOB, 100)), expect: 'power_levels.new_above_sender' },
  { name: 'moderator lowers own level', versions: ALL, room: modRoom(), event: pl(BOB, setUser(BOB, 10)), expect: 'allow' },
  { name: 'moderator removes own entry', versions: ALL, room: modRoom(), event: pl(BOB, (c) => (delete users(c)[BOB], c)), expect: 'allow' },
  { name: 'moderator demotes a peer of equal level', versions: ALL, room: modRoom(), event: pl(BOB, setUser(DAVE, 0)), expect: 'power_levels.user_at_or_above_sender' },
  { name: 'moderator removes a peer of equal level', versions: ALL, room: modRoom(), event: pl(BOB, (c) => (delete users(c)[DAVE], c)), expect: 'power_levels.user_at_or_above_sender' },
  { name: 'moderator demotes an admin', versions: V.upTo(11), room: modRoom(), event: pl(BOB, setUser(ALICE, 0)), expect: 'power_levels.user_at_or_above_sender' },
  { name: 'moderator promotes a user to own level', versions: ALL, room: modRoom(), event: pl(BOB, setUser(CHARLIE, 50)), expect: 'allow' },
  { name: 'moderator promotes a user above own level', versions: ALL, room: modRoom(), event: pl(BOB, setUser(CHARLIE, 51)), expect: 'power_levels.new_above_sender' },
  { name: 'moderator demotes a lower user', versions: ALL, room: modRoom({ users_default: 0 }), event: pl(BOB, (c) => ((users(c)[CHARLIE] = 10), c)), expect: 'allow' },
  { name: 'user below the power levels event level', versions: ALL, room: modRoom(), event: pl(CHARLIE, setUser(CHARLIE, 0)), expect: 'event.level' },
  { name: 'non-member sends power levels', versions: ALL, room: modRoom(), event: pl(EVE, (c) => c), expect: 'sender_not_joined' },
  { name: 'unchanged power levels', versions: ALL, room: modRoom({ ban: 100 }), event: pl(BOB, (c) => c), expect: 'allow' },
  { name: 'moderator lowers ban from 50 to 40', versions: ALL, room: modRoom(), event: pl(BOB, set('ban', 40)), expect: 'allow' },
  { name: 'moderator changes a ban level above own', versions: ALL, room: modRoom({ ban: 100 }), event: pl(BOB, set('ban', 50)), expect: 'power_levels.old_above_sender' },
  { name: 'moderator removes a kick level above own', versions: ALL, room: modRoom({ kick: 100 }), event: pl(BOB, (c) => (delete c['kick'], c)), expect: 'power_levels.old_above_sender' },
  { name: 'moderator adds state_default above own', versions: ALL, room: modRoom(), event: pl(BOB, set('state_default', 60)), expect: 'power_levels.new_above_sender' },
  { name: 'moderator raises users_default above own', versions: ALL, room: modRoom(), event: pl(BOB, set('users_default', 75)), expect: 'power_levels.new_above_sender' },
  { name: 'moderator adds an events entry above own', versions: ALL, room: modRoom(), event: pl(BOB, (c) => (((c['events'] as JsonObject)['m.room.name'] = 100), c)), expect: 'power_levels.new_above_sender' },
  { name: 'moderator removes an events entry above own', versions: ALL, room: modRoom({ events: { 'm.room.power_levels': 50, 'm.room.tombstone': 100 } }), event: pl(BOB, (c) => (delete (c['events'] as JsonObject)['m.room.tombstone'], c)), expect: 'power_levels.old_above_sender' },
  { name: 'moderator changes a notifications level above own', versions: V.from(6), room: modRoom({ notifications: { room: 100 } }), event: pl(BOB, set('notifications', { room: 0 })), expect: 'power_levels.old_above_sender' },
  { name: 'notifications are unchecked before v6', versions: V.upTo(5), room: modRoom({ notifications: { room: 100 } }), event: pl(BOB, set('notifications', { room: 0 })), expect: 'allow' },
  { name: 'moderator adds notifications above own', versions: V.from(6), room: modRoom(), event: pl(BOB, set('notifications', { room: 99 })), expect: 'power_levels.new_above_sender' },
  { name: 'users key is not a user ID', versions: ALL, room: modRoom(), event: pl(BOB, setUser('not-a-user', 0)), expect: 'power_levels.users_shape' },
  { name: 'users is not an object', versions: ALL, room: modRoom(), event: pl(BOB, set('users', [1])), expect: 'power_levels.users_shape' },
  { name: 'stringy user level', versions: V.upTo(9), room: modRoom(), event: pl(BOB, setUser(CHARLIE, '40')), expect: 'allow' },
  { name: 'stringy user level', versions: V.from(10), room: modRoom(), event: pl(BOB, setUser(CHARLIE, '40')), expect: 'power_levels.users_shape' },
  { name: 'non-numeric user level', versions: ALL, room: modRoom(), event: pl(BOB, setUser(CHARLIE, 'high')), expect: 'power_levels.users_shape' },
  { name: 'stringy ban level', versions: V.upTo(9), room: modRoom(), event: pl(BOB, set('ban', '40')), expect: 'allow' },
  { name: 'stringy ban level', versions: V.from(10), room: modRoom(), event: pl(BOB, set('ban', '40')), expect: 'power_levels.not_integer' },
  { name: 'stringy unchanged value equals its integer', versions: V.upTo(9), room: modRoom({ ban: 100 }), event: pl(BOB, set('ban', ' +100 ')), expect: 'allow' },
  { name: 'float redact level', versions: V.from(10), room: modRoom(), event: pl(BOB, set('redact', 40.5)), expect: 'power_levels.not_integer' },
  { name: 'stringy events value', versions: V.upTo(9), room: modRoom(), event: pl(BOB, set('events', { 'm.room.power_levels': 50, 'm.room.name': '10' })), expect: 'allow' },
  { name: 'stringy events value', versions: V.from(10), room: modRoom(), event: pl(BOB, set('events', { 'm.room.power_levels': 50, 'm.room.name': '10' })), expect: 'power_levels.not_integer' },
  { name: 'events is not an object', versions: V.from(10), room: modRoom(), event: pl(BOB, set('events', 5)), expect: 'power_levels.not_integer' },
  { name: 'stringy notifications value', versions: V.from(10), room: modRoom(), event: pl(BOB, set('notifications', { room: '10' })), expect: 'power_levels.not_integer' },
  { name: 'non-numeric kick level', versions: V.upTo(9), room: modRoom(), event: pl(BOB, set('kick', 'lots')), expect: 'power_levels.not_integer' },
];

describe('checkAuth: power levels', () => {
  runAuthCases(cases);
});
