// Evaluation of each push condition kind against an event (client or federation format)
// and the room/user context. Unknown kinds and malformed parameters never match.
import { splitDottedPath } from '../json-path.ts';
import { isJsonObject, type JsonObject, type JsonValue } from '../json.ts';
import { containsAtWordBoundary, globMatches } from './glob.ts';
import type { PushCondition, PushContext } from './push-rule.ts';

/** Default level for a `notifications` key missing from m.room.power_levels. */
export const DEFAULT_NOTIFICATION_POWER_LEVEL = 50;

/** The value at a dot-separated property path (`content.m\.relates_to.rel_type`), or undefined. */
export function eventProperty(event: JsonObject, path: string): JsonValue | undefined {
  let current: JsonValue | undefined = event;
  for (const key of splitDottedPath(path)) {
    if (!isJsonObject(current) || !Object.hasOwn(current, key)) return undefined;
    current = current[key];
  }
  return current;
}

function isScalar(value: JsonValue | undefined): value is string | number | boolean | null {
  return value === null || typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isSafeInteger(value));
}

const MEMBER_COUNT = /^(==|<=|>=|<|>)?([0-9]+)$/;

export function roomMemberCountMatches(is: string, count: number): boolean {
  const match = MEMBER_COUNT.exec(is);
  if (match === null) return false;
  const target = Number(match[2]);
  switch (match[1]) {
    case '<':
      return count < target;
    case '>':
      return count > target;
    case '<=':
      return count <= target;
    case '>=':
      return count >= target;
    default:
      return count === target;
  }
}

export function conditionMatches(condition: PushCondition, event: JsonObject, context: PushContext): boolean {
  const params = condition as Record<string, JsonValue | undefined>;
  switch (condition.kind) {
    case 'event_match': {
      const { key, pattern } = params;
      if (typeof key !== 'string' || typeof pattern !== 'string') return false;
      const value = eventProperty(event, key);
      if (typeof value !== 'string') return false;
      return globMatches(pattern, value, { wordBoundary: key === 'content.body' });
    }
    case 'event_property_is': {
      const { key, value: expected } = params;
      if (typeof key !== 'string' || !isScalar(expected)) return false;
      const value = eventProperty(event, key);
      return isScalar(value) && value === expected;
    }
    case 'event_property_contains': {
      const { key, value: expected } = params;
      if (typeof key !== 'string' || !isScalar(expected)) return false;
      const value = eventProperty(event, key);
      return Array.isArray(value) && value.some((item) => isScalar(item) && item === expected);
    }
    case 'contains_display_name': {
      const name = context.displayName;
      if (name === undefined || name === '') return false;
      const body = eventProperty(event, 'content.body');
      return typeof body === 'string' && containsAtWordBoundary(body, name);
    }
    case 'room_member_count':
      return typeof params['is'] === 'string' && roomMemberCountMatches(params['is'], context.roomMemberCount);
    case 'sender_notification_permission': {
      const key = params['key'];
      if (typeof key !== 'string') return false;
      const required = context.notificationPowerLevels?.[key] ?? DEFAULT_NOTIFICATION_POWER_LEVEL;
      return context.senderPowerLevel >= required;
    }
    default:
      return false;
  }
}
