// The auth_events list rules, auth event selection, and when redactions apply (v3+).
import { describe, expect, it } from 'vitest';
import { stateKeyOf } from '../room-event.ts';
import { authStateFromMap } from './auth-state.ts';
import { authTypesForEvent, selectAuthEvents } from './auth-types.ts';
import { checkAuthEvents } from './check-auth-events.ts';
import { redactionApplies } from './redaction-auth.ts';
import { ALICE, BOB, CHARLIE, standardRoom, ZARA } from './test-builder.ts';

const idOf = (room: ReturnType<typeof standardRoom>, type: string, key = '') => room.state.get(stateKeyOf(type, key))!;
const fetched = (room: ReturnType<typeof standardRoom>) => [...room.events.values()];

describe('authTypesForEvent', () => {
  it('selects create, power levels and sender membership for a message (create only before v12)', () => {
    const room = standardRoom('11');
    const types = authTypesForEvent(room.build({ type: 'm.room.message', sender: BOB, content: {} }));
    expect(types).toEqual([
      { type: 'm.room.create', stateKey: '' },
      { type: 'm.room.power_levels', stateKey: '' },
      { type: 'm.room.member', stateKey: BOB },
    ]);
    const v12 = standardRoom('12');
    expect(authTypesForEvent(v12.build({ type: 'm.room.message', sender: BOB, content: {} }))).not.toContainEqual({ type: 'm.room.create', stateKey: '' });
  });

  it('adds target, join rules, third-party token and authoriser for membership', () => {
    const room = standardRoom('10');
    const join = room.build({ type: 'm.room.member', sender: ZARA, stateKey: ZARA, content: { membership: 'join', join_authorised_via_users_server: ALICE } });
    expect(authTypesForEvent(join)).toContainEqual({ type: 'm.room.member', stateKey: ALICE });
    expect(authTypesForEvent(join)).toContainEqual({ type: 'm.room.join_rules', stateKey: '' });
    const invite = room.build({ type: 'm.room.member', sender: BOB, stateKey: ZARA, content: { membership: 'invite', third_party_invite: { signed: { token: 'tok' } } } });
    expect(authTypesForEvent(invite)).toContainEqual({ type: 'm.room.third_party_invite', stateKey: 'tok' });
    const ban = room.build({ type: 'm.room.member', sender: BOB, stateKey: ZARA, content: { membership: 'ban' } });
    expect(authTypesForEvent(ban)).not.toContainEqual({ type: 'm.room.join_rules', stateKey: '' });
    const oldJoin = standardRoom('7').build({ type: 'm.room.member', sender: ZARA, stateKey: ZARA, content: { membership: 'join', join_authorised_via_users_server: ALICE } });
    expect(authTypesForEvent(oldJoin)).not.toContainEqual({ type: 'm.room.member', stateKey: ALICE });
  });

  it('selects nothing for create and the current events otherwise', () => {
    const room = standardRoom('9');
    expect(authTypesForEvent(room.createEvent)).toEqual([]);
    const ids = selectAuthEvents(room.build({ type: 'm.room.message', sender: BOB, content: {} }), room.state);
    expect(ids).toEqual([room.createEvent.eventId, idOf(room, 'm.room.power_levels'), idOf(room, 'm.room.member', BOB)]);
  });
});

describe('checkAuthEvents', () => {
  it('accepts exactly the selected auth events', () => {
    const room = standardRoom('10');
    expect(checkAuthEvents(room.build({ type: 'm.room.message', sender: BOB, content: {} }), fetched(room))).toEqual({ allowed: true });
  });

  it.each([
    ['duplicate (type, state_key)', 'auth_events.duplicate', (r: ReturnType<typeof standardRoom>) => {
      const older = r.event(idOf(r, 'm.room.power_levels'));
      const newer = r.send({ type: 'm.room.power_levels', sender: ALICE, stateKey: '', content: older.content });
      return [r.createEvent.eventId, older.eventId, newer.eventId];
    }],
    ['unexpected type', 'auth_events.unexpected', (r: ReturnType<typeof standardRoom>) => [r.createEvent.eventId, idOf(r, 'm.room.join_rules')]],
    ['another member', 'auth_events.unexpected', (r: ReturnType<typeof standardRoom>) => [r.createEvent.eventId, idOf(r, 'm.room.member', CHARLIE)]],
    ['no create event', 'auth_events.no_create', (r: ReturnType<typeof standardRoom>) => [idOf(r, 'm.room.power_levels')]],
    ['unknown auth event', 'auth_events.missing', (r: ReturnType<typeof standardRoom>) => [r.createEvent.eventId, '$nowhere']],
  ])('rejects %s', (_name, rule, authIds) => {
    const room = standardRoom('10');
    const event = room.build({ type: 'm.room.message', sender: BOB, content: {}, auth: authIds(room) });
    expect(checkAuthEvents(event, fetched(room))).toMatchObject({ allowed: false, rule });
  });

  it('rejects a rejected auth event, an auth event from another room, and a create event in v12', () => {
    const room = standardRoom('10');
    const event = room.build({ type: 'm.room.message', sender: BOB, content: {} });
    const pl = idOf(room, 'm.room.power_levels');
    expect(checkAuthEvents(event, fetched(room), { isRejected: (id) => id === pl })).toMatchObject({ rule: 'auth_events.rejected' });
    const moved = fetched(room).map((e) => (e.eventId === pl ? { ...e, roomId: '!other:example.org' } : e));
    expect(checkAuthEvents(event, moved)).toMatchObject({ rule: 'auth_events.wrong_room' });
    const v12 = standardRoom('12');
    const withCreate = v12.build({ type: 'm.room.message', sender: BOB, content: {}, auth: [v12.createEvent.eventId, idOf(v12, 'm.room.member', BOB)] });
    expect(checkAuthEvents(withCreate, fetched(v12))).toMatchObject({ rule: 'auth_events.unexpected' });
    expect(checkAuthEvents(v12.build({ type: 'm.room.message', sender: BOB, content: {} }), fetched(v12))).toEqual({ allowed: true });
  });
});

describe('redactionApplies (handling redactions, v3+)', () => {
  it('applies for the redact level or the same server, and not otherwise', () => {
    const room = standardRoom('11', { members: [BOB, CHARLIE, ZARA] });
    const target = room.send({ type: 'm.room.message', sender: CHARLIE, content: {} });
    const state = authStateFromMap(room.state, (id) => room.events.get(id));
    const by = (sender: string) => room.build({ type: 'm.room.redaction', sender, redacts: target.eventId, content: { redacts: target.eventId } });
    expect(redactionApplies(by(ZARA), target, state)).toMatchObject({ allowed: false, rule: 'redaction.level' });
    expect(redactionApplies(by(BOB), target, state)).toEqual({ allowed: true });
    expect(redactionApplies(by(CHARLIE), target, state)).toEqual({ allowed: true });
    const other = room.send({ type: 'm.room.message', sender: ZARA, content: {} });
    expect(redactionApplies(by(ZARA), other, state)).toMatchObject({ rule: 'redaction.target' });
  });
});
