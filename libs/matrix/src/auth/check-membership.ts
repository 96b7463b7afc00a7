// Auth rule for m.room.member events: join (incl. restricted and knock_restricted), invite
// (incl. third-party invites), leave/kick, ban and knock, per room version.
import type { JsonObject } from '../json.ts';
import { isJsonObject } from '../json.ts';
import type { RoomEvent } from '../room-event.ts';
import type { AuthResult } from './auth-result.ts';
import { allow, deny } from './auth-result.ts';
import type { AuthState } from './auth-state.ts';
import { domainOf } from './ids.ts';
import { namedPowerLevel, roomCreators, userPowerLevel } from './power-levels.ts';

export interface MembershipCheckOptions {
  readonly verifyThirdPartyInvite: ((signed: JsonObject, publicKeys: readonly string[]) => boolean) | undefined;
  readonly isSignedBy: (event: RoomEvent, serverName: string) => boolean;
}

function membershipOf(state: AuthState, userId: string): string | undefined {
  const member = state.get('m.room.member', userId);
  const membership = member?.content['membership'];
  return typeof membership === 'string' ? membership : undefined;
}

/** The join rule in force; the spec treats a room without m.room.join_rules as invite-only. */
function joinRuleOf(state: AuthState): string {
  const rule = state.get('m.room.join_rules', '')?.content['join_rule'];
  return typeof rule === 'string' ? rule : 'invite';
}

function publicKeysOf(invite: RoomEvent): string[] {
  const keys: string[] = [];
  const single = invite.content['public_key'];
  if (typeof single === 'string') keys.push(single);
  const list = invite.content['public_keys'];
  if (Array.isArray(list)) {
    for (const entry of list) {
      if (isJsonObject(entry) && typeof entry['public_key'] === 'string') keys.push(entry['public_key']);
    }
  }
  return keys;
}

function checkThirdPartyInvite(event: RoomEvent, target: string, state: AuthState, options: MembershipCheckOptions): AuthResult {
  if (membershipOf(state, target) === 'ban') return deny('member.invite.3pid.target_banned', `${target} is banned`);
  const thirdParty = event.content['third_party_invite'];
  const signed = isJsonObject(thirdParty) ? thirdParty['signed'] : undefined;
  if (!isJsonObject(signed)) return deny('member.invite.3pid.no_signed', 'third_party_invite has no signed object');
  const { mxid, token } = signed;
  if (typeof mxid !== 'string' || typeof token !== 'string') {
    return deny('member.invite.3pid.no_mxid_token', 'third_party_invite.signed lacks mxid or token');
  }
  if (mxid !== target) return deny('member.invite.3pid.mxid_mismatch', `signed.mxid ${mxid} is not the invitee ${target}`);
  const invite = state.get('m.room.third_party_invite', token);
  if (invite === undefined) return deny('member.invite.3pid.no_invite_event', `no m.room.third_party_invite with token ${token}`);
  if (invite.sender !== event.sender) {
    return deny('member.invite.3pid.sender_mismatch', `${event.sender} did not send the third-party invite (${invite.sender} did)`);
  }
  const keys = publicKeysOf(invite);
  if (options.verifyThirdPartyInvite === undefined) {
    return deny('member.invite.3pid.no_verifier', 'no third-party invite signature verifier was configured');
  }
  if (keys.length === 0 || !options.verifyThirdPartyInvite(signed, keys)) {
    return deny('member.invite.3pid.bad_signature', 'no signature in signed matches a public key of the third-party invite');
  }
  return allow();
}

function checkJoin(event: RoomEvent, target: string, state: AuthState): AuthResult {
  const version = event.roomVersion;
  const create = state.get('m.room.create', '');
  if (
    create !== undefined &&
    event.prevEventIds.length === 1 &&
    event.prevEventIds[0] === create.eventId &&
    roomCreators(create)[0] === target
  ) {
    return allow();
  }
  if (event.sender !== target) return deny('member.join.not_self', `${event.sender} cannot join ${target} to the room`);
  const current = membershipOf(state, target);
  if (current === 'ban') return deny('member.join.banned', `${target} is banned`);
  const rule = joinRuleOf(state);
  const invitedOrJoined = current === 'invite' || current === 'join';
  if (rule === 'invite' || (version.knockJoinRule && rule === 'knock')) {
    return invitedOrJoined ? allow() : deny('member.join.not_invited', `${target} is not invited to a ${rule} room`);
  }
  if ((version.restrictedJoinRule && rule === 'restricted') || (version.knockRestrictedJoinRule && rule === 'knock_restricted')) {
    if (invitedOrJoined) return allow();
    const authoriser = event.content['join_authorised_via_users_server'];
    if (typeof authoriser !== 'string') {
      return deny('member.join.restricted.no_authoriser', `restricted join of ${target} names no authorising user`);
    }
    if (membershipOf(state, authoriser) !== 'join') {
      return deny('member.join.restricted.authoriser_not_joined', `authorising user ${authoriser} is not joined`);
    }
    if (userPowerLevel(authoriser, state, version) < namedPowerLevel('invite', state, version)) {
      return deny('member.join.restricted.authoriser_cannot_invite', `authorising user ${authoriser} lacks the invite level`);
    }
    return allow();
  }
  if (rule === 'public') return allow();
  return deny('member.join.rule', `join rule ${JSON.stringify(rule)} does not let ${target} join`);
}

function checkLeave(event: RoomEvent, target: string, state: AuthState): AuthResult {
  const version = event.roomVersion;
  const targetMembership = membershipOf(state, target);
  if (event.sender === target) {
    const ok = targetMembership === 'invite' || targetMembership === 'join' || (version.knockJoinRule && targetMembership === 'knock');
    return ok ? allow() : deny('member.leave.self_not_in_room', `${target} cannot leave from membership ${targetMembership ?? 'none'}`);
  }
  if (membershipOf(state, event.sender) !== 'join') return deny('member.leave.sender_not_joined', `${event.sender} is not joined`);
  const senderLevel = userPowerLevel(event.sender, state, version);
  if (targetMembership === 'ban' && senderLevel < namedPowerLevel('ban', state, version)) {
    return deny('member.leave.unban_level', `${event.sender} lacks the ban level to unban ${target}`);
  }
  if (senderLevel >= namedPowerLevel('kick', state, version) && userPowerLevel(target, state, version) < senderLevel) return allow();
  return deny('member.leave.kick_level', `${event.sender} cannot kick ${target}`);
}

function checkBan(event: RoomEvent, target: string, state: AuthState): AuthResult {
  const version = event.roomVersion;
  if (membershipOf(state, event.sender) !== 'join') return deny('member.ban.sender_not_joined', `${event.sender} is not joined`);
  const senderLevel = userPowerLevel(event.sender, state, version);
  if (senderLevel >= namedPowerLevel('ban', state, version) && userPowerLevel(target, state, version) < senderLevel) return allow();
  return deny('member.ban.level', `${event.sender} cannot ban ${target}`);
}

function checkKnock(event: RoomEvent, target: string, state: AuthState): AuthResult {
  const version = event.roomVersion;
  const rule = joinRuleOf(state);
  if (!(rule === 'knock' || (version.knockRestrictedJoinRule && rule === 'knock_restricted'))) {
    return deny('member.knock.rule', `join rule ${JSON.stringify(rule)} does not allow knocking`);
  }
  if (event.sender !== target) return deny('member.knock.not_self', `${event.sender} cannot knock for ${target}`);
  const current = membershipOf(state, target);
  if (current === 'ban' || current === 'invite' || current === 'join') {
    return deny('member.knock.membership', `${target} cannot knock from membership ${current}`);
  }
  return allow();
}

export function checkMembership(event: RoomEvent, state: AuthState, options: MembershipCheckOptions): AuthResult {
  const version = event.roomVersion;
  const target = event.stateKey;
  const membership = event.content['membership'];
  if (target === undefined || typeof membership !== 'string') {
    return deny('member.malformed', 'member event lacks a state_key or content.membership');
  }
  const authoriser = event.content['join_authorised_via_users_server'];
  if (version.restrictedJoinRule && authoriser !== undefined) {
    if (typeof authoriser !== 'string' || !options.isSignedBy(event, domainOf(authoriser))) {
      return deny('member.authoriser_signature', `event is not signed by the server of ${JSON.stringify(authoriser)}`);
    }
  }
  switch (membership) {
    case 'join':
      return checkJoin(event, target, state);
    case 'invite': {
      if (Object.hasOwn(event.content, 'third_party_invite')) return checkThirdPartyInvite(event, target, state, options);
      if (membershipOf(state, event.sender) !== 'join') return deny('member.invite.sender_not_joined', `${event.sender} is not joined`);
      const current = membershipOf(state, target);
      if (current === 'join' || current === 'ban') return deny('member.invite.target_membership', `${target} is already ${current}`);
      if (userPowerLevel(event.sender, state, version) >= namedPowerLevel('invite', state, version)) return allow();
      return deny('member.invite.level', `${event.sender} lacks the invite level`);
    }
    case 'leave':
      return checkLeave(event, target, state);
    case 'ban':
      return checkBan(event, target, state);
    case 'knock':
      if (version.knockJoinRule) return checkKnock(event, target, state);
      return deny('member.unknown_membership', `membership "knock" does not exist in room version ${version.id}`);
    default:
      return deny('member.unknown_membership', `unknown membership ${JSON.stringify(membership)}`);
  }
}
