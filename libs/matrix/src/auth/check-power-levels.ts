// Auth rule for m.room.power_levels (rule 9 in v3–v11, 10 in v1–v2 and v12): value shapes,
// v12's ban on listing creators, and that nobody grants or removes more power than they hold.
import type { JsonObject, JsonValue } from '../json.ts';
import { isJsonObject } from '../json.ts';
import type { RoomEvent } from '../room-event.ts';
import type { AuthResult } from './auth-result.ts';
import { allow, deny } from './auth-result.ts';
import type { AuthState } from './auth-state.ts';
import { isValidUserId } from './ids.ts';
import { parsePowerLevel, roomCreators, userPowerLevel } from './power-levels.ts';

const TOP_LEVEL = ['users_default', 'events_default', 'state_default', 'ban', 'redact', 'kick', 'invite'] as const;

function objectOf(content: JsonObject, key: string): JsonObject {
  const value = content[key];
  return isJsonObject(value) ? value : {};
}

function validateShape(event: RoomEvent): AuthResult {
  const version = event.roomVersion;
  const content = event.content;
  if (version.enforceIntPowerLevels) {
    for (const key of TOP_LEVEL) {
      if (Object.hasOwn(content, key) && parsePowerLevel(content[key], version) === undefined) {
        return deny('power_levels.not_integer', `power_levels.${key} is ${JSON.stringify(content[key])}, not an integer`);
      }
    }
    for (const key of ['events', 'notifications']) {
      if (!Object.hasOwn(content, key)) continue;
      const map = content[key];
      if (!isJsonObject(map) || Object.values(map).some((v) => parsePowerLevel(v, version) === undefined)) {
        return deny('power_levels.not_integer', `power_levels.${key} is not an object of integers`);
      }
    }
  }
  if (Object.hasOwn(content, 'users')) {
    const users = content['users'];
    if (!isJsonObject(users)) return deny('power_levels.users_shape', 'power_levels.users is not an object');
    for (const [userId, level] of Object.entries(users)) {
      if (!isValidUserId(userId)) return deny('power_levels.users_shape', `power_levels.users key ${JSON.stringify(userId)} is not a user ID`);
      if (parsePowerLevel(level, version) === undefined) {
        return deny('power_levels.users_shape', `power_levels.users[${userId}] is ${JSON.stringify(level)}, not an integer`);
      }
    }
  }
  return allow();
}

/** Compares one old/new value pair against the sender's level; `isOtherUser` adds the users rule. */
function checkChange(
  where: string,
  oldValue: JsonValue | undefined,
  newValue: JsonValue | undefined,
  senderLevel: number,
  event: RoomEvent,
  isOtherUser: boolean,
): AuthResult {
  const version = event.roomVersion;
  const oldLevel = oldValue === undefined ? undefined : parsePowerLevel(oldValue, version);
  const newLevel = newValue === undefined ? undefined : parsePowerLevel(newValue, version);
  if (newValue !== undefined && newLevel === undefined) {
    return deny('power_levels.not_integer', `${where} is ${JSON.stringify(newValue)}, not an integer`);
  }
  if (oldValue !== undefined && newValue !== undefined && oldLevel === newLevel) return allow();
  if (oldValue === undefined && newValue === undefined) return allow();
  if (isOtherUser && oldLevel !== undefined && oldLevel >= senderLevel) {
    return deny('power_levels.user_at_or_above_sender', `${where} was ${oldLevel}, not below the sender's ${senderLevel}`);
  }
  if (oldLevel !== undefined && oldLevel > senderLevel) {
    return deny('power_levels.old_above_sender', `${where} was ${oldLevel}, above the sender's ${senderLevel}`);
  }
  if (newLevel !== undefined && newLevel > senderLevel) {
    return deny('power_levels.new_above_sender', `${where} would be ${newLevel}, above the sender's ${senderLevel}`);
  }
  return allow();
}

export function checkPowerLevels(event: RoomEvent, state: AuthState): AuthResult {
  const shape = validateShape(event);
  if (!shape.allowed) return shape;
  const version = event.roomVersion;
  const create = state.get('m.room.create', '');
  if (version.privilegedCreators && create !== undefined) {
    const users = objectOf(event.content, 'users');
    for (const creator of roomCreators(create)) {
      if (Object.hasOwn(users, creator)) {
        return deny('power_levels.lists_creator', `power_levels.users lists room creator ${creator}`);
      }
    }
  }
  const current = state.get('m.room.power_levels', '');
  if (current === undefined) return allow();
  const senderLevel = userPowerLevel(event.sender, state, version);
  const oldContent = current.content;
  const newContent = event.content;
  for (const key of TOP_LEVEL) {
    const result = checkChange(key, oldContent[key], newContent[key], senderLevel, event, false);
    if (!result.allowed) return result;
  }
  const maps = version.limitNotificationsPowerLevels ? ['events', 'notifications'] : ['events'];
  for (const map of maps) {
    const oldMap = objectOf(oldContent, map);
    const newMap = objectOf(newContent, map);
    for (const key of new Set([...Object.keys(oldMap), ...Object.keys(newMap)])) {
      const result = checkChange(`${map}.${key}`, oldMap[key], newMap[key], senderLevel, event, false);
      if (!result.allowed) return result;
    }
  }
  const oldUsers = objectOf(oldContent, 'users');
  const newUsers = objectOf(newContent, 'users');
  for (const userId of new Set([...Object.keys(oldUsers), ...Object.keys(newUsers)])) {
    const result = checkChange(`users.${userId}`, oldUsers[userId], newUsers[userId], senderLevel, event, userId !== event.sender);
    if (!result.allowed) return result;
  }
  return allow();
}
