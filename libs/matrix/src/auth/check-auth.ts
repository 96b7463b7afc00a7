// The authorization rules of every room version (v1–v12) for one event against the auth
// state it is checked at: the auth events, the state before the event, or the current state.
// The rules about the auth_events list itself are in check-auth-events.ts.
import type { JsonObject } from '../json.ts';
import { isJsonObject } from '../json.ts';
import type { RoomEvent } from '../room-event.ts';
import { findRoomVersion } from '../room-version.ts';
import type { AuthResult } from './auth-result.ts';
import { allow, deny } from './auth-result.ts';
import type { AuthState } from './auth-state.ts';
import { authTypesForEvent } from './auth-types.ts';
import { checkCreate } from './check-create.ts';
import { checkMembership } from './check-membership.ts';
import { checkPowerLevels } from './check-power-levels.ts';
import { domainOf } from './ids.ts';
import { namedPowerLevel, requiredPowerLevel, userPowerLevel } from './power-levels.ts';

export interface CheckAuthOptions {
  /**
   * Verifies the `signed` block of a third-party invite against the base64 public keys of the
   * matching m.room.third_party_invite event. Default: none, so such invites are denied.
   */
  readonly verifyThirdPartyInvite?: (signed: JsonObject, publicKeys: readonly string[]) => boolean;
  /**
   * Whether the event carries a valid signature of `serverName` (used for
   * `join_authorised_via_users_server`). Default: the PDU has a signature entry for that
   * server; signatures themselves are verified when the PDU is received.
   */
  readonly isSignedBy?: (event: RoomEvent, serverName: string) => boolean;
  /** Whether a `content.room_version` of a create event is recognised. Default: a version this library knows. */
  readonly isKnownRoomVersion?: (id: string) => boolean;
}

function hasSignatureFrom(event: RoomEvent, serverName: string): boolean {
  const signatures = event.pdu['signatures'];
  return isJsonObject(signatures) && isJsonObject(signatures[serverName]);
}

/** The room ID a v12 create event names: its event ID with the `!` sigil. */
export function roomIdOfCreateEvent(create: RoomEvent): string {
  return `!${create.eventId.slice(1)}`;
}

/** Denies when any event the rules will read for `event` belongs to another room. */
function checkAuthStateRoom(event: RoomEvent, state: AuthState): AuthResult {
  for (const { type, stateKey } of authTypesForEvent(event)) {
    const authEvent = state.get(type, stateKey);
    if (authEvent !== undefined && authEvent.roomId !== event.roomId) {
      return deny('auth_events.wrong_room', `auth event ${authEvent.eventId} is in room ${authEvent.roomId}, not ${event.roomId}`);
    }
  }
  return allow();
}

/** Whether `event` is authorised by `state` under the rules of its room version. */
export function checkAuth(event: RoomEvent, state: AuthState, options: CheckAuthOptions = {}): AuthResult {
  const version = event.roomVersion;
  if (event.type === 'm.room.create') {
    return checkCreate(event, options.isKnownRoomVersion ?? ((id) => findRoomVersion(id) !== undefined));
  }
  const create = state.get('m.room.create', '');
  if (create === undefined) return deny('auth_events.no_create', `no m.room.create in the auth state of ${event.eventId}`);
  if (version.roomIdIsCreateEventHash) {
    if (event.roomId !== roomIdOfCreateEvent(create)) {
      return deny('room_id.not_create_event', `room ${event.roomId} is not named by create event ${create.eventId}`);
    }
  } else if (create.roomId !== event.roomId) {
    return deny('auth_events.wrong_room', `create event ${create.eventId} is in room ${create.roomId}, not ${event.roomId}`);
  }
  const sameRoom = checkAuthStateRoom(event, state);
  if (!sameRoom.allowed) return sameRoom;

  if (create.content['m.federate'] === false && domainOf(event.sender) !== domainOf(create.sender)) {
    return deny('federate', `room is not federated and ${event.sender} is not on ${domainOf(create.sender)}`);
  }

  if (version.specialCaseAliasesAuth && event.type === 'm.room.aliases') {
    if (event.stateKey === undefined) return deny('aliases.no_state_key', 'm.room.aliases has no state_key');
    if (event.stateKey !== domainOf(event.sender)) {
      return deny('aliases.domain', `aliases state_key ${event.stateKey} is not the sender's server ${domainOf(event.sender)}`);
    }
    return allow();
  }

  if (event.type === 'm.room.member') {
    return checkMembership(event, state, {
      verifyThirdPartyInvite: options.verifyThirdPartyInvite,
      isSignedBy: options.isSignedBy ?? hasSignatureFrom,
    });
  }

  const senderMember = state.get('m.room.member', event.sender);
  if (senderMember?.content['membership'] !== 'join') return deny('sender_not_joined', `${event.sender} is not joined`);

  const senderLevel = userPowerLevel(event.sender, state, version);
  if (event.type === 'm.room.third_party_invite') {
    return senderLevel >= namedPowerLevel('invite', state, version)
      ? allow()
      : deny('third_party_invite.level', `${event.sender} lacks the invite level`);
  }

  const required = requiredPowerLevel(event.type, event.stateKey !== undefined, state, version);
  if (required > senderLevel) {
    return deny('event.level', `${event.type} needs power ${required}; ${event.sender} has ${senderLevel}`);
  }
  if (event.stateKey !== undefined && event.stateKey.startsWith('@') && event.stateKey !== event.sender) {
    return deny('state_key.other_user', `${event.sender} cannot set state keyed by ${event.stateKey}`);
  }
  if (event.type === 'm.room.power_levels') {
    const result = checkPowerLevels(event, state);
    if (!result.allowed) return result;
  }
  // Rooms v1–v2 (server-assigned event IDs) authorise redactions here; later versions
  // decide when applying the redaction (see redactionApplies).
  if (event.type === 'm.room.redaction' && version.eventIdFormat === 'server-assigned') {
    if (senderLevel >= namedPowerLevel('redact', state, version)) return allow();
    if (event.redacts !== undefined && domainOf(event.redacts) === domainOf(event.eventId)) return allow();
    return deny('redaction.level', `${event.sender} lacks the redact level and ${event.redacts ?? '(none)'} is from another server`);
  }
  return allow();
}
