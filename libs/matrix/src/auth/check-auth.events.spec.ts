// Authorization table: create events, room and auth-state checks, m.federate, aliases,
// ordinary events, state levels and redactions.
import { describe } from 'vitest';
import { ALL, runAuthCases, V, type AuthCase } from './auth-table.ts';
import { authStateFromEvents } from './auth-state.ts';
import { ALICE, BOB, CHARLIE, EVE, standardRoom, TestRoom, ZARA } from './test-builder.ts';

const bare = (v: string) => new TestRoom(v);
const createOf = (room: TestRoom, content: Record<string, never> | object = {}, extra: object = {}) =>
  room.build({
    type: 'm.room.create',
    sender: ALICE,
    stateKey: '',
    prev: [],
    auth: [],
    content: { room_version: room.version.id, ...(room.version.implicitRoomCreator ? {} : { creator: ALICE }), ...content },
    ...extra,
  });
const message = (room: TestRoom, sender: string, body = 'hi') =>
  room.build({ type: 'm.room.message', sender, content: { msgtype: 'm.text', body } });
const topic = (room: TestRoom, sender: string) => room.build({ type: 'm.room.topic', sender, stateKey: '', content: { topic: 't' } });

const cases: AuthCase[] = [
  // --- m.room.create
  { name: 'valid create', versions: ALL, room: bare, event: (r) => createOf(r), expect: 'allow' },
  { name: 'create with prev_events', versions: ALL, room: bare, event: (r) => r.build({ ...createOf(r), type: 'm.room.create', sender: ALICE, stateKey: '', prev: ['$x'], auth: [], content: createOf(r).content }), expect: 'create.prev_events' },
  { name: 'create in a room of another server', versions: V.upTo(11), room: bare, event: (r) => createOf(r, {}, { roomId: '!forged:evil.example' }), expect: 'create.room_id_domain' },
  { name: 'create carrying a room_id', versions: ['12'], room: bare, event: (r) => createOf(r, {}, { pdu: { room_id: '!x:example.org' } }), expect: 'create.has_room_id' },
  { name: 'create with unknown room_version', versions: ALL, room: bare, event: (r) => createOf(r, { room_version: '999' }), expect: 'create.unknown_room_version' },
  { name: 'create with non-string room_version', versions: ALL, room: bare, event: (r) => createOf(r, { room_version: 11 }), expect: 'create.unknown_room_version' },
  { name: 'create without creator', versions: V.upTo(10), room: bare, event: (r) => r.build({ type: 'm.room.create', sender: ALICE, stateKey: '', prev: [], auth: [], content: {} }), expect: 'create.no_creator' },
  { name: 'create without creator (implicit creator)', versions: V.from(11), room: bare, event: (r) => r.build({ type: 'm.room.create', sender: ALICE, stateKey: '', prev: [], auth: [], content: {} }), expect: 'allow' },
  { name: 'additional_creators of valid user IDs', versions: ['12'], room: bare, event: (r) => createOf(r, { additional_creators: [BOB, ZARA] }), expect: 'allow' },
  { name: 'additional_creators with an invalid user ID', versions: ['12'], room: bare, event: (r) => createOf(r, { additional_creators: [BOB, 'not-a-user'] }), expect: 'create.additional_creators' },
  { name: 'additional_creators not a list', versions: ['12'], room: bare, event: (r) => createOf(r, { additional_creators: BOB }), expect: 'create.additional_creators' },
  { name: 'additional_creators with a non-string', versions: ['12'], room: bare, event: (r) => createOf(r, { additional_creators: [42] }), expect: 'create.additional_creators' },
  { name: 'additional_creators ignored before v12', versions: V.upTo(11), room: bare, event: (r) => createOf(r, { additional_creators: 'junk' }), expect: 'allow' },

  // --- room and auth state
  { name: 'auth state without a create event', versions: ALL, event: (r) => message(r, BOB), state: (r) => authStateFromEvents([...r.events.values()].filter((e) => e.type !== 'm.room.create')), expect: 'auth_events.no_create' },
  {
    name: 'forged create event from another room',
    versions: ALL,
    event: (r) => message(r, BOB),
    state: (r) => {
      const forged = new TestRoom(r.version.id, { roomId: '!forged:evil.example', creator: EVE }).createEvent;
      return authStateFromEvents([...r.events.values(), { ...forged, eventId: '$forged' }]);
    },
    expect: 'x',
  },
  {
    name: 'power levels event from another room',
    versions: ALL,
    event: (r) => message(r, BOB),
    state: (r) => {
      const other = standardRoom(r.version.id);
      const pl = other.event(other.state.get('m.room.power_levels\u0000')!);
      return authStateFromEvents([...r.events.values(), { ...pl, roomId: '!other:example.org' }]);
    },
    expect: 'auth_events.wrong_room',
  },
  { name: 'event whose room is not the create event\'s', versions: ['12'], event: (r) => r.build({ type: 'm.room.message', sender: BOB, roomId: '!elsewhere', content: {} }), expect: 'room_id.not_create_event' },
  {
    name: 'remote sender in a non-federated room',
    versions: ALL,
    room: (v) => {
      const room = new TestRoom(v, { createContent: { 'm.federate': false } });
      room.member(ALICE, 'join');
      room.send({ type: 'm.room.join_rules', sender: ALICE, stateKey: '', content: { join_rule: 'public' } });
      return room;
    },
    event: (r) => r.build({ type: 'm.room.member', sender: ZARA, stateKey: ZARA, content: { membership: 'join' } }),
    expect: 'federate',
  },
  {
    name: 'local sender in a non-federated room',
    versions: ALL,
    room: (v) => {
      const room = new TestRoom(v, { createContent: { 'm.federate': false } });
      room.member(ALICE, 'join');
      room.send({ type: 'm.room.join_rules', sender: ALICE, stateKey: '', content: { join_rule: 'public' } });
      return room;
    },
    event: (r) => r.build({ type: 'm.room.member', sender: BOB, stateKey: BOB, content: { membership: 'join' } }),
    expect: 'allow',
  },

  // --- m.room.aliases special case
  { name: 'aliases by a non-member of the named server', versions: V.upTo(5), event: (r) => r.build({ type: 'm.room.aliases', sender: ZARA, stateKey: 'other.example', content: { aliases: ['#a:other.example'] } }), expect: 'allow' },
  { name: 'aliases by a non-member (no special case)', versions: V.from(6), event: (r) => r.build({ type: 'm.room.aliases', sender: ZARA, stateKey: 'other.example', content: { aliases: [] } }), expect: 'sender_not_joined' },
  { name: 'aliases for another server', versions: V.upTo(5), event: (r) => r.build({ type: 'm.room.aliases', sender: BOB, stateKey: 'other.example', content: { aliases: [] } }), expect: 'aliases.domain' },
  { name: 'aliases without state_key', versions: V.upTo(5), event: (r) => r.build({ type: 'm.room.aliases', sender: BOB, content: { aliases: [] } }), expect: 'aliases.no_state_key' },
  { name: 'aliases by a member below state_default', versions: V.from(6), event: (r) => r.build({ type: 'm.room.aliases', sender: CHARLIE, stateKey: 'example.org', content: { aliases: [] } }), expect: 'event.level' },

  // --- ordinary events
  { name: 'member sends a message', versions: ALL, event: (r) => message(r, CHARLIE), expect: 'allow' },
  { name: 'non-member sends a message', versions: ALL, event: (r) => message(r, EVE), expect: 'sender_not_joined' },
  { name: 'invited user sends a message', versions: ALL, event: (r) => (r.member(EVE, 'invite', ALICE), message(r, EVE)), expect: 'sender_not_joined' },
  { name: 'departed user sends a message', versions: ALL, event: (r) => (r.member(CHARLIE, 'leave'), message(r, CHARLIE)), expect: 'sender_not_joined' },
  { name: 'state event below state_default', versions: ALL, event: (r) => topic(r, CHARLIE), expect: 'event.level' },
  { name: 'state event at state_default', versions: ALL, event: (r) => topic(r, BOB), expect: 'allow' },
  { name: 'message below an events override', versions: ALL, room: (v) => standardRoom(v, { powerLevels: { events: { 'm.room.message': 10 } } }), event: (r) => message(r, CHARLIE), expect: 'event.level' },
  { name: 'state event lowered by an events override', versions: ALL, room: (v) => standardRoom(v, { powerLevels: { events: { 'm.room.topic': 0 } } }), event: (r) => topic(r, CHARLIE), expect: 'allow' },
  { name: 'message below events_default', versions: ALL, room: (v) => standardRoom(v, { powerLevels: { events_default: 20 } }), event: (r) => message(r, CHARLIE), expect: 'event.level' },
  { name: 'users_default meets events_default', versions: ALL, room: (v) => standardRoom(v, { powerLevels: { events_default: 20, users_default: 20 } }), event: (r) => message(r, CHARLIE), expect: 'allow' },
  { name: 'state_default 0 lets anyone set state', versions: ALL, room: (v) => standardRoom(v, { powerLevels: { state_default: 0 } }), event: (r) => topic(r, CHARLIE), expect: 'allow' },
  { name: 'state keyed by another user', versions: ALL, room: (v) => standardRoom(v, { powerLevels: { state_default: 0 } }), event: (r) => r.build({ type: 'm.custom', sender: CHARLIE, stateKey: BOB, content: {} }), expect: 'state_key.other_user' },
  { name: 'state keyed by the sender', versions: ALL, room: (v) => standardRoom(v, { powerLevels: { state_default: 0 } }), event: (r) => r.build({ type: 'm.custom', sender: CHARLIE, stateKey: CHARLIE, content: {} }), expect: 'allow' },
  { name: 'third-party invite with the invite level', versions: ALL, event: (r) => r.build({ type: 'm.room.third_party_invite', sender: CHARLIE, stateKey: 'tok', content: { public_key: 'k' } }), expect: 'allow' },
  { name: 'third-party invite below the invite level', versions: ALL, room: (v) => standardRoom(v, { powerLevels: { invite: 10 } }), event: (r) => r.build({ type: 'm.room.third_party_invite', sender: CHARLIE, stateKey: 'tok', content: {} }), expect: 'third_party_invite.level' },
  { name: 'third-party invite by a non-member', versions: ALL, event: (r) => r.build({ type: 'm.room.third_party_invite', sender: EVE, stateKey: 'tok', content: {} }), expect: 'sender_not_joined' },
  {
    name: 'creator sets state before any power levels',
    versions: ALL,
    room: (v) => {
      const room = new TestRoom(v);
      room.member(ALICE, 'join');
      return room;
    },
    event: (r) => topic(r, ALICE),
    expect: 'allow',
  },
  {
    name: 'non-creator sets state before any power levels',
    versions: ALL,
    room: (v) => {
      const room = new TestRoom(v);
      room.member(ALICE, 'join');
      room.send({ type: 'm.room.join_rules', sender: ALICE, stateKey: '', content: { join_rule: 'public' } });
      room.member(BOB, 'join');
      return room;
    },
    event: (r) => topic(r, BOB),
    expect: 'event.level',
  },
  { name: 'stringy user level counts', versions: V.upTo(9), room: (v) => standardRoom(v, { users: { [CHARLIE]: '60' } }), event: (r) => topic(r, CHARLIE), expect: 'allow' },
  { name: 'stringy user level ignored', versions: V.from(10), room: (v) => standardRoom(v, { users: { [CHARLIE]: '60' } }), event: (r) => topic(r, CHARLIE), expect: 'event.level' },
  { name: 'floaty user level truncates', versions: V.upTo(9), room: (v) => standardRoom(v, { users: { [CHARLIE]: 50.9 } }), event: (r) => topic(r, CHARLIE), expect: 'allow' },

  // --- redactions
  { name: 'redaction of another server\'s event without the redact level', versions: V.upTo(2), room: (v) => standardRoom(v, { members: [BOB, CHARLIE, ZARA] }), event: (r) => r.build({ type: 'm.room.redaction', sender: ZARA, redacts: r.send({ type: 'm.room.message', sender: CHARLIE, content: {} }).eventId, content: {} }), expect: 'redaction.level' },
  { name: 'redaction of another server\'s event without the redact level (decided later)', versions: V.from(3), room: (v) => standardRoom(v, { members: [BOB, CHARLIE, ZARA] }), event: (r) => r.build({ type: 'm.room.redaction', sender: ZARA, redacts: r.send({ type: 'm.room.message', sender: CHARLIE, content: {} }).eventId, content: {} }), expect: 'allow' },
  { name: 'redaction of a same-server event', versions: ALL, event: (r) => r.build({ type: 'm.room.redaction', sender: CHARLIE, redacts: r.send({ type: 'm.room.message', sender: BOB, content: {} }).eventId, content: {} }), expect: 'allow' },
  { name: 'redaction with the redact level', versions: ALL, room: (v) => standardRoom(v, { members: [BOB, CHARLIE, ZARA] }), event: (r) => r.build({ type: 'm.room.redaction', sender: BOB, redacts: r.send({ type: 'm.room.message', sender: ZARA, content: {} }).eventId, content: {} }), expect: 'allow' },
  { name: 'redaction below an events override', versions: ALL, room: (v) => standardRoom(v, { powerLevels: { events: { 'm.room.redaction': 60 } } }), event: (r) => r.build({ type: 'm.room.redaction', sender: BOB, redacts: '$x', content: {} }), expect: 'event.level' },
  { name: 'redaction by a non-member', versions: ALL, event: (r) => r.build({ type: 'm.room.redaction', sender: EVE, redacts: '$x:evil.example', content: {} }), expect: 'sender_not_joined' },
];

// The forged-create row's expected rule differs by version: v1–v11 check the create event's
// room, v12 checks that the room ID names the create event.
const forged = cases.find((c) => c.name === 'forged create event from another room')!;
cases.splice(cases.indexOf(forged), 1,
  { ...forged, versions: V.upTo(11), expect: 'auth_events.wrong_room' },
  { ...forged, versions: ['12'], expect: 'room_id.not_create_event' });

describe('checkAuth: create, room, events, redactions', () => {
  runAuthCases(cases);
});
