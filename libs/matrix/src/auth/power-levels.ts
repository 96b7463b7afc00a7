// Reading power levels as the auth rules define them: the level of a user (including the
// v12 creators' infinite power and the implicit creator level of 100 when a room has no
// m.room.power_levels event), the level an event type requires, and the named levels.
import type { JsonValue } from '../json.ts';
import { isJsonObject } from '../json.ts';
import type { RoomEvent } from '../room-event.ts';
import type { RoomVersion } from '../room-version.ts';
import type { AuthState } from './auth-state.ts';

/** The power of a room creator in room versions with privileged creators (v12+). */
export const CREATOR_POWER_LEVEL = Number.POSITIVE_INFINITY;

export type NamedLevel = 'invite' | 'kick' | 'ban' | 'redact' | 'users_default' | 'events_default' | 'state_default';

const NAMED_DEFAULTS: Readonly<Record<NamedLevel, number>> = {
  invite: 0,
  kick: 50,
  ban: 50,
  redact: 50,
  users_default: 0,
  events_default: 0,
  state_default: 50,
};

// v1–v9 accept numeric strings ("+100", " 050 ") and truncate floats; see the room version
// pages' "stringy" and "floaty" power level notes.
const STRINGY_INTEGER = /^\s*[+-]?\d+\s*$/;

/**
 * A power level value as an integer, or undefined when it is not one. From v10 only JSON
 * integers count; before that, numeric strings and (truncated) finite floats count too.
 */
export function parsePowerLevel(value: JsonValue | undefined, version: RoomVersion): number | undefined {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return undefined;
    if (Number.isInteger(value)) return value;
    return version.enforceIntPowerLevels ? undefined : Math.trunc(value);
  }
  if (typeof value === 'string' && !version.enforceIntPowerLevels && STRINGY_INTEGER.test(value)) {
    return Number.parseInt(value.trim(), 10);
  }
  return undefined;
}

/** The users who created the room: `creator` (v1–v10), the sender (v11), plus `additional_creators` (v12+). */
export function roomCreators(create: RoomEvent): readonly string[] {
  const version = create.roomVersion;
  if (!version.implicitRoomCreator) {
    const creator = create.content['creator'];
    return typeof creator === 'string' ? [creator] : [];
  }
  const creators = [create.sender];
  if (version.privilegedCreators) {
    const additional = create.content['additional_creators'];
    if (Array.isArray(additional)) {
      for (const id of additional) if (typeof id === 'string') creators.push(id);
    }
  }
  return creators;
}

/** Whether `userId` has a creator's infinite power in this room (v12+ only). */
export function isPrivilegedCreator(userId: string, create: RoomEvent | undefined): boolean {
  return create !== undefined && create.roomVersion.privilegedCreators && roomCreators(create).includes(userId);
}

function powerContent(state: AuthState) {
  const event = state.get('m.room.power_levels', '');
  return event === undefined ? undefined : event.content;
}

/** The power level of `userId` in `state`, interpreted under `version`. */
export function userPowerLevel(userId: string, state: AuthState, version: RoomVersion): number {
  const create = state.get('m.room.create', '');
  if (isPrivilegedCreator(userId, create)) return CREATOR_POWER_LEVEL;
  const content = powerContent(state);
  if (content === undefined) {
    // No power levels event yet: the creator has 100, everyone else 0.
    if (create !== undefined && !version.privilegedCreators && roomCreators(create).includes(userId)) return 100;
    return 0;
  }
  const users = content['users'];
  if (isJsonObject(users) && Object.hasOwn(users, userId)) {
    const level = parsePowerLevel(users[userId], version);
    if (level !== undefined) return level;
  }
  return namedPowerLevel('users_default', state, version);
}

/** A named level (invite, kick, ban, redact, *_default) with the spec's default when absent. */
export function namedPowerLevel(name: NamedLevel, state: AuthState, version: RoomVersion): number {
  const content = powerContent(state);
  if (content === undefined) return NAMED_DEFAULTS[name];
  return parsePowerLevel(content[name], version) ?? NAMED_DEFAULTS[name];
}

/** The *required power level* to send an event of `type` (state or not). */
export function requiredPowerLevel(type: string, isState: boolean, state: AuthState, version: RoomVersion): number {
  const content = powerContent(state);
  if (content !== undefined) {
    const events = content['events'];
    if (isJsonObject(events) && Object.hasOwn(events, type)) {
      const level = parsePowerLevel(events[type], version);
      if (level !== undefined) return level;
    }
  }
  return namedPowerLevel(isState ? 'state_default' : 'events_default', state, version);
}
