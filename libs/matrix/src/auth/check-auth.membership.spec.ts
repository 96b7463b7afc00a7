// Authorization table: m.room.member — join (public, invite, knock, restricted,
// knock_restricted), invite (incl. third-party), leave/kick, ban and knock.
import { describe } from 'vitest';
import type { JsonObject } from '../json.ts';
import { ALL, runAuthCases, V, type AuthCase } from './auth-table.ts';
import { ALICE, BOB, CHARLIE, EVE, standardRoom, TestRoom, ZARA } from './test-builder.ts';

const DAVE = '@dave:example.org';
const member = (r: TestRoom, sender: string, target: string, membership: string, extra: JsonObject = {}) =>
  r.build({ type: 'm.room.member', sender, stateKey: target, content: { membership, ...extra } });
const ruled = (joinRule: string, powerLevels: JsonObject = {}) => (v: string) => standardRoom(v, { joinRule, powerLevels });
const withCreator = (creator: string) => (v: string) => new TestRoom(v, { createContent: { creator } });
const firstJoin = (user: string) => (r: TestRoom) => r.build({ type: 'm.room.member', sender: user, stateKey: user, content: { membership: 'join' }, prev: [r.createEvent.eventId] });
const via = (authoriser: string, signedBy: string[] = ['example.org']) => ({
  extra: { join_authorised_via_users_server: authoriser },
  pdu: { signatures: Object.fromEntries(signedBy.map((s) => [s, { 'ed25519:k': 'sig' }])) },
});
const restrictedJoin = (user: string, authoriser: string | undefined, signedBy?: string[]) => (r: TestRoom) => {
  const v = authoriser === undefined ? undefined : via(authoriser, signedBy);
  return r.build({ type: 'm.room.member', sender: user, stateKey: user, content: { membership: 'join', ...(v?.extra ?? {}) }, ...(v ? { pdu: v.pdu } : {}) });
};

// Third-party invites: alice posted m.room.third_party_invite "tok"; the verifier is injected.
const signed = (mxid: string, token = 'tok'): JsonObject => ({ mxid, token, signatures: { 'id.example': { 'ed25519:0': 'sig' } } });
const thirdPartyRoom = (content: JsonObject = { public_key: 'pk1' }) => (v: string) => {
  const room = standardRoom(v);
  room.send({ type: 'm.room.third_party_invite', sender: ALICE, stateKey: 'tok', content });
  return room;
};
const acceptKey = (key: string) => ({ verifyThirdPartyInvite: (_s: JsonObject, keys: readonly string[]) => keys.includes(key) });
const invite3p = (sender: string, target: string, thirdParty: JsonObject) => (r: TestRoom) =>
  member(r, sender, target, 'invite', { third_party_invite: thirdParty });

const cases: AuthCase[] = [
  // --- join
  { name: 'creator joins right after create', versions: ALL, room: (v) => new TestRoom(v), event: firstJoin(ALICE), expect: 'allow' },
  { name: 'non-creator joins right after create', versions: ALL, room: (v) => new TestRoom(v), event: firstJoin(BOB), expect: 'member.join.not_invited' },
  { name: 'content.creator joins first', versions: V.upTo(10), room: withCreator(BOB), event: firstJoin(BOB), expect: 'allow' },
  { name: 'content.creator joins first (creator is the sender)', versions: V.from(11), room: withCreator(BOB), event: firstJoin(BOB), expect: 'member.join.not_invited' },
  { name: 'create sender joins first though content.creator differs', versions: V.upTo(10), room: withCreator(BOB), event: firstJoin(ALICE), expect: 'member.join.not_invited' },
  { name: 'create sender joins first (implicit creator)', versions: V.from(11), room: withCreator(BOB), event: firstJoin(ALICE), expect: 'allow' },
  { name: 'join on behalf of someone else', versions: ALL, event: (r) => member(r, BOB, EVE, 'join'), expect: 'member.join.not_self' },
  { name: 'join a public room', versions: ALL, event: (r) => member(r, EVE, EVE, 'join'), expect: 'allow' },
  { name: 'banned user rejoins a public room', versions: ALL, event: (r) => (r.member(EVE, 'ban', ALICE), member(r, EVE, EVE, 'join')), expect: 'member.join.banned' },
  { name: 'join an invite-only room uninvited', versions: ALL, room: ruled('invite'), event: (r) => member(r, EVE, EVE, 'join'), expect: 'member.join.not_invited' },
  { name: 'join an invite-only room when invited', versions: ALL, room: ruled('invite'), event: (r) => (r.member(EVE, 'invite', ALICE), member(r, EVE, EVE, 'join')), expect: 'allow' },
  { name: 'joined member re-joins (profile change)', versions: ALL, room: ruled('invite'), event: (r) => member(r, CHARLIE, CHARLIE, 'join', { displayname: 'C' }), expect: 'allow' },
  { name: 'join without a join rules event (invite-only)', versions: ALL, room: (v) => { const r = new TestRoom(v); r.member(ALICE, 'join'); return r; }, event: (r) => member(r, BOB, BOB, 'join'), expect: 'member.join.not_invited' },
  { name: 'join after leaving an invite-only room', versions: ALL, room: ruled('invite'), event: (r) => (r.member(CHARLIE, 'leave'), member(r, CHARLIE, CHARLIE, 'join')), expect: 'member.join.not_invited' },
  { name: 'unknown join rule', versions: ALL, room: ruled('private'), event: (r) => member(r, EVE, EVE, 'join'), expect: 'member.join.rule' },
  { name: 'knock room, invited user joins', versions: V.from(7), room: ruled('knock'), event: (r) => (r.member(EVE, 'invite', ALICE), member(r, EVE, EVE, 'join')), expect: 'allow' },
  { name: 'knock room, knocked user joins uninvited', versions: V.from(7), room: ruled('knock'), event: (r) => (r.member(EVE, 'knock'), member(r, EVE, EVE, 'join')), expect: 'member.join.not_invited' },
  { name: 'knock join rule unknown before v7', versions: V.upTo(6), room: ruled('knock'), event: (r) => (r.member(EVE, 'invite', ALICE), member(r, EVE, EVE, 'join')), expect: 'member.join.rule' },
  { name: 'restricted join authorised by a joined admin', versions: V.from(8), room: ruled('restricted'), event: restrictedJoin(EVE, ALICE), expect: 'allow' },
  { name: 'restricted join rule unknown before v8', versions: V.upTo(7), room: ruled('restricted'), event: restrictedJoin(EVE, ALICE), expect: 'member.join.rule' },
  { name: 'restricted join without an authorising server', versions: V.from(8), room: ruled('restricted'), event: restrictedJoin(EVE, undefined), expect: 'member.join.restricted.no_authoriser' },
  { name: 'restricted join authorised by a non-member', versions: V.from(8), room: ruled('restricted'), event: restrictedJoin(EVE, DAVE), expect: 'member.join.restricted.authoriser_not_joined' },
  { name: 'restricted join authorised by a user who cannot invite', versions: V.from(8), room: ruled('restricted', { invite: 50 }), event: restrictedJoin(EVE, CHARLIE), expect: 'member.join.restricted.authoriser_cannot_invite' },
  { name: 'restricted join not signed by the authorising server', versions: V.from(8), room: ruled('restricted'), event: restrictedJoin(EVE, ALICE, ['evil.example']), expect: 'member.authoriser_signature' },
  { name: 'restricted join authoriser is not a string', versions: V.from(8), room: ruled('restricted'), event: (r) => member(r, EVE, EVE, 'join', { join_authorised_via_users_server: 7 }), expect: 'member.authoriser_signature' },
  { name: 'restricted room, invited user joins without authoriser', versions: V.from(8), room: ruled('restricted'), event: (r) => (r.member(EVE, 'invite', ALICE), member(r, EVE, EVE, 'join')), expect: 'allow' },
  { name: 'restricted join of a banned user', versions: V.from(8), room: ruled('restricted'), event: (r) => (r.member(EVE, 'ban', ALICE), restrictedJoin(EVE, ALICE)(r)), expect: 'member.join.banned' },
  { name: 'knock_restricted join authorised', versions: V.from(10), room: ruled('knock_restricted'), event: restrictedJoin(EVE, ALICE), expect: 'allow' },
  { name: 'knock_restricted join rule unknown before v10', versions: V.upTo(9), room: ruled('knock_restricted'), event: restrictedJoin(EVE, ALICE), expect: 'member.join.rule' },
  { name: 'knock_restricted join without authoriser', versions: V.from(10), room: ruled('knock_restricted'), event: restrictedJoin(EVE, undefined), expect: 'member.join.restricted.no_authoriser' },
  { name: 'authoriser key ignored before v8', versions: V.upTo(7), event: restrictedJoin(EVE, ZARA, ['evil.example']), expect: 'allow' },
  { name: 'authoriser key on a leave must be signed too', versions: V.from(8), event: (r) => ({ ...member(r, CHARLIE, CHARLIE, 'leave', { join_authorised_via_users_server: ZARA }) }), expect: 'member.authoriser_signature' },

  // --- invite
  { name: 'member invites with the invite level', versions: ALL, event: (r) => member(r, CHARLIE, EVE, 'invite'), expect: 'allow' },
  { name: 'non-member invites', versions: ALL, event: (r) => member(r, ZARA, EVE, 'invite'), expect: 'member.invite.sender_not_joined' },
  { name: 'invite by a user lacking the invite level', versions: ALL, room: (v) => standardRoom(v, { powerLevels: { invite: 50 } }), event: (r) => member(r, CHARLIE, EVE, 'invite'), expect: 'member.invite.level' },
  { name: 'invite a joined user', versions: ALL, event: (r) => member(r, CHARLIE, BOB, 'invite'), expect: 'member.invite.target_membership' },
  { name: 'invite a banned user', versions: ALL, event: (r) => (r.member(EVE, 'ban', ALICE), member(r, CHARLIE, EVE, 'invite')), expect: 'member.invite.target_membership' },
  { name: 'third-party invite with a valid signature', versions: ALL, room: thirdPartyRoom(), event: invite3p(ALICE, EVE, { signed: signed(EVE) }), options: acceptKey('pk1'), expect: 'allow' },
  { name: 'third-party invite, key from public_keys', versions: ALL, room: thirdPartyRoom({ public_keys: [{ public_key: 'pk2' }] }), event: invite3p(ALICE, EVE, { signed: signed(EVE) }), options: acceptKey('pk2'), expect: 'allow' },
  { name: 'third-party invite with a bad signature', versions: ALL, room: thirdPartyRoom(), event: invite3p(ALICE, EVE, { signed: signed(EVE) }), options: acceptKey('other'), expect: 'member.invite.3pid.bad_signature' },
  { name: 'third-party invite without a verifier', versions: ALL, room: thirdPartyRoom(), event: invite3p(ALICE, EVE, { signed: signed(EVE) }), expect: 'member.invite.3pid.no_verifier' },
  { name: 'third-party invite of a banned user', versions: ALL, room: thirdPartyRoom(), event: (r) => (r.member(EVE, 'ban', ALICE), invite3p(ALICE, EVE, { signed: signed(EVE) })(r)), options: acceptKey('pk1'), expect: 'member.invite.3pid.target_banned' },
  { name: 'third-party invite without signed', versions: ALL, room: thirdPartyRoom(), event: invite3p(ALICE, EVE, {}), options: acceptKey('pk1'), expect: 'member.invite.3pid.no_signed' },
  { name: 'third-party invite without token', versions: ALL, room: thirdPartyRoom(), event: invite3p(ALICE, EVE, { signed: { mxid: EVE } }), options: acceptKey('pk1'), expect: 'member.invite.3pid.no_mxid_token' },
  { name: 'third-party invite for another mxid', versions: ALL, room: thirdPartyRoom(), event: invite3p(ALICE, EVE, { signed: signed(ZARA) }), options: acceptKey('pk1'), expect: 'member.invite.3pid.mxid_mismatch' },
  { name: 'third-party invite with an unknown token', versions: ALL, room: thirdPartyRoom(), event: invite3p(ALICE, EVE, { signed: signed(EVE, 'nope') }), options: acceptKey('pk1'), expect: 'member.invite.3pid.no_invite_event' },
  { name: 'third-party invite sent by someone else', versions: ALL, room: thirdPartyRoom(), event: invite3p(BOB, EVE, { signed: signed(EVE) }), options: acceptKey('pk1'), expect: 'member.invite.3pid.sender_mismatch' },

  // --- leave and kick
  { name: 'joined user leaves', versions: ALL, event: (r) => member(r, CHARLIE, CHARLIE, 'leave'), expect: 'allow' },
  { name: 'invited user rejects the invite', versions: ALL, event: (r) => (r.member(EVE, 'invite', ALICE), member(r, EVE, EVE, 'leave')), expect: 'allow' },
  { name: 'knocking user rescinds the knock', versions: V.from(7), room: ruled('knock'), event: (r) => (r.member(EVE, 'knock'), member(r, EVE, EVE, 'leave')), expect: 'allow' },
  { name: 'stranger leaves', versions: ALL, event: (r) => member(r, EVE, EVE, 'leave'), expect: 'member.leave.self_not_in_room' },
  { name: 'banned user unbans themself', versions: ALL, event: (r) => (r.member(EVE, 'ban', ALICE), member(r, EVE, EVE, 'leave')), expect: 'member.leave.self_not_in_room' },
  { name: 'moderator kicks a user', versions: ALL, event: (r) => member(r, BOB, CHARLIE, 'leave'), expect: 'allow' },
  { name: 'non-member kicks a user', versions: ALL, event: (r) => member(r, ZARA, CHARLIE, 'leave'), expect: 'member.leave.sender_not_joined' },
  { name: 'user below the kick level kicks', versions: ALL, event: (r) => (r.member(DAVE, 'join'), member(r, CHARLIE, DAVE, 'leave')), expect: 'member.leave.kick_level' },
  { name: 'kick a user of equal level', versions: ALL, room: (v) => standardRoom(v, { users: { [DAVE]: 50 }, members: [BOB, CHARLIE, DAVE] }), event: (r) => member(r, BOB, DAVE, 'leave'), expect: 'member.leave.kick_level' },
  { name: 'moderator unbans with the ban level', versions: ALL, event: (r) => (r.member(EVE, 'ban', ALICE), member(r, BOB, EVE, 'leave')), expect: 'allow' },
  { name: 'unban without the ban level', versions: ALL, room: (v) => standardRoom(v, { powerLevels: { ban: 75 } }), event: (r) => (r.member(EVE, 'ban', ALICE), member(r, BOB, EVE, 'leave')), expect: 'member.leave.unban_level' },
  { name: 'high admin kicks the creator', versions: V.upTo(11), room: (v) => standardRoom(v, { users: { [BOB]: 150 } }), event: (r) => member(r, BOB, ALICE, 'leave'), expect: 'allow' },
  { name: 'high admin kicks a creator (infinite power)', versions: ['12'], room: (v) => standardRoom(v, { users: { [BOB]: 150 } }), event: (r) => member(r, BOB, ALICE, 'leave'), expect: 'member.leave.kick_level' },

  // --- ban
  { name: 'moderator bans a user', versions: ALL, event: (r) => member(r, BOB, CHARLIE, 'ban'), expect: 'allow' },
  { name: 'moderator bans a stranger', versions: ALL, event: (r) => member(r, BOB, EVE, 'ban'), expect: 'allow' },
  { name: 'non-member bans', versions: ALL, event: (r) => member(r, ZARA, CHARLIE, 'ban'), expect: 'member.ban.sender_not_joined' },
  { name: 'user below the ban level bans', versions: ALL, event: (r) => member(r, CHARLIE, EVE, 'ban'), expect: 'member.ban.level' },
  { name: 'moderator bans an admin', versions: V.upTo(11), event: (r) => member(r, BOB, ALICE, 'ban'), expect: 'member.ban.level' },
  { name: 'high admin bans the creator', versions: V.upTo(11), room: (v) => standardRoom(v, { users: { [BOB]: 150 } }), event: (r) => member(r, BOB, ALICE, 'ban'), expect: 'allow' },
  { name: 'high admin bans a creator (infinite power)', versions: ['12'], room: (v) => standardRoom(v, { users: { [BOB]: 150 } }), event: (r) => member(r, BOB, ALICE, 'ban'), expect: 'member.ban.level' },
  { name: 'creator bans a high admin', versions: ['12'], room: (v) => standardRoom(v, { users: { [BOB]: 1_000_000 } }), event: (r) => member(r, ALICE, BOB, 'ban'), expect: 'allow' },

  // --- knock
  { name: 'knock on a knock room', versions: V.from(7), room: ruled('knock'), event: (r) => member(r, EVE, EVE, 'knock'), expect: 'allow' },
  { name: 'knock before v7 is an unknown membership', versions: V.upTo(6), room: ruled('knock'), event: (r) => member(r, EVE, EVE, 'knock'), expect: 'member.unknown_membership' },
  { name: 'knock on a public room', versions: V.from(7), event: (r) => member(r, EVE, EVE, 'knock'), expect: 'member.knock.rule' },
  { name: 'knock for someone else', versions: V.from(7), room: ruled('knock'), event: (r) => member(r, CHARLIE, EVE, 'knock'), expect: 'member.knock.not_self' },
  { name: 'knock while joined', versions: V.from(7), room: ruled('knock'), event: (r) => member(r, CHARLIE, CHARLIE, 'knock'), expect: 'member.knock.membership' },
  { name: 'knock while banned', versions: V.from(7), room: ruled('knock'), event: (r) => (r.member(EVE, 'ban', ALICE), member(r, EVE, EVE, 'knock')), expect: 'member.knock.membership' },
  { name: 'knock while invited', versions: V.from(7), room: ruled('knock'), event: (r) => (r.member(EVE, 'invite', ALICE), member(r, EVE, EVE, 'knock')), expect: 'member.knock.membership' },
  { name: 'knock on a knock_restricted room', versions: V.from(10), room: ruled('knock_restricted'), event: (r) => member(r, EVE, EVE, 'knock'), expect: 'allow' },
  { name: 'knock on knock_restricted before v10', versions: V.range(7, 9), room: ruled('knock_restricted'), event: (r) => member(r, EVE, EVE, 'knock'), expect: 'member.knock.rule' },

  // --- malformed
  { name: 'unknown membership', versions: ALL, event: (r) => member(r, CHARLIE, CHARLIE, 'dance'), expect: 'member.unknown_membership' },
  { name: 'member event without membership', versions: ALL, event: (r) => r.build({ type: 'm.room.member', sender: CHARLIE, stateKey: CHARLIE, content: {} }), expect: 'member.malformed' },
  { name: 'member event without state_key', versions: ALL, event: (r) => r.build({ type: 'm.room.member', sender: CHARLIE, content: { membership: 'join' } }), expect: 'member.malformed' },
];

describe('checkAuth: membership', () => {
  runAuthCases(cases);
});
