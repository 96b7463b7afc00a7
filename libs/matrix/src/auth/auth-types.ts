// Auth events selection (server-server API): which (type, state_key) pairs an event's
// auth_events must be drawn from, and picking those events out of a room state.
import { isJsonObject } from '../json.ts';
import type { RoomEvent, StateKey, StateMap } from '../room-event.ts';
import { stateKeyOf } from '../room-event.ts';
import type { RoomVersion } from '../room-version.ts';

/** The content fields that auth event selection reads, as a minimal event shape. */
export interface AuthSelectable {
  readonly type: string;
  readonly stateKey: string | undefined;
  readonly sender: string;
  readonly content: RoomEvent['content'];
  readonly roomVersion: RoomVersion;
}

export interface AuthType {
  readonly type: string;
  readonly stateKey: string;
}

/** The third-party invite token of an invite, if it carries one as a string. */
export function thirdPartyInviteToken(content: RoomEvent['content']): string | undefined {
  const invite = content['third_party_invite'];
  if (!isJsonObject(invite)) return undefined;
  const signed = invite['signed'];
  if (!isJsonObject(signed)) return undefined;
  const token = signed['token'];
  return typeof token === 'string' ? token : undefined;
}

/**
 * The (type, state_key) pairs whose current events an event's auth_events consist of. Empty for
 * m.room.create. From v12 the create event is never selected (the room ID names it).
 */
export function authTypesForEvent(event: AuthSelectable): AuthType[] {
  if (event.type === 'm.room.create') return [];
  const types: AuthType[] = [];
  const seen = new Set<StateKey>();
  const add = (type: string, stateKey: string): void => {
    const key = stateKeyOf(type, stateKey);
    if (seen.has(key)) return;
    seen.add(key);
    types.push({ type, stateKey });
  };
  if (!event.roomVersion.roomIdIsCreateEventHash) add('m.room.create', '');
  add('m.room.power_levels', '');
  add('m.room.member', event.sender);
  if (event.type === 'm.room.member' && event.stateKey !== undefined) {
    add('m.room.member', event.stateKey);
    const membership = event.content['membership'];
    if (membership === 'join' || membership === 'invite' || membership === 'knock') add('m.room.join_rules', '');
    if (membership === 'invite') {
      const token = thirdPartyInviteToken(event.content);
      if (token !== undefined) add('m.room.third_party_invite', token);
    }
    const authoriser = event.content['join_authorised_via_users_server'];
    if (membership === 'join' && event.roomVersion.restrictedJoinRule && typeof authoriser === 'string') {
      add('m.room.member', authoriser);
    }
  }
  return types;
}

/** The auth_events an event built on `state` should carry, in selection order. */
export function selectAuthEvents(event: AuthSelectable, state: StateMap): string[] {
  const ids: string[] = [];
  for (const { type, stateKey } of authTypesForEvent(event)) {
    const id = state.get(stateKeyOf(type, stateKey));
    if (id !== undefined) ids.push(id);
  }
  return ids;
}
