// The redaction algorithm (room version pages, "Redactions"): strips an event down to the
// keys that auth, hashing and signing need. Version differences are read from RoomVersion
// flags: aliases kept in v1–v5, join-rule `allow` from v8, `join_authorised_via_users_server`
// from v9, and the v11 rework (create keeps all content, `invite` power level, `redacts`,
// third-party-invite `signed`; `origin`, `membership`, `prev_state` no longer kept).
import { isJsonObject, type JsonObject, type JsonValue } from './json.ts';
import type { RoomVersion } from './room-version.ts';

const KEPT_BEFORE_V11: ReadonlySet<string> = new Set([
  'event_id', 'type', 'room_id', 'sender', 'state_key', 'content', 'hashes', 'signatures', 'depth',
  'prev_events', 'prev_state', 'auth_events', 'origin', 'origin_server_ts', 'membership',
]);
const KEPT_FROM_V11: ReadonlySet<string> = new Set([
  'event_id', 'type', 'room_id', 'sender', 'state_key', 'content', 'hashes', 'signatures', 'depth',
  'prev_events', 'auth_events', 'origin_server_ts',
]);
const POWER_LEVEL_KEYS = ['ban', 'events', 'events_default', 'kick', 'redact', 'state_default', 'users', 'users_default'];

/** The top-level keys the algorithm keeps in this room version. */
export function redactionKeptKeys(version: RoomVersion): ReadonlySet<string> {
  return version.updatedRedactionRules ? KEPT_FROM_V11 : KEPT_BEFORE_V11;
}

/** The content keys kept for an event type; 'all' for v11+ create events. */
export function redactionKeptContentKeys(type: string, version: RoomVersion): readonly string[] | 'all' {
  const v11 = version.updatedRedactionRules;
  switch (type) {
    case 'm.room.member': {
      const keys = ['membership'];
      if (version.restrictedJoinRuleFix) keys.push('join_authorised_via_users_server');
      return keys;
    }
    case 'm.room.create':
      return v11 ? 'all' : ['creator'];
    case 'm.room.join_rules':
      return version.restrictedJoinRule ? ['join_rule', 'allow'] : ['join_rule'];
    case 'm.room.power_levels':
      return v11 ? [...POWER_LEVEL_KEYS, 'invite'] : POWER_LEVEL_KEYS;
    case 'm.room.aliases':
      return version.specialCaseAliasesAuth ? ['aliases'] : [];
    case 'm.room.history_visibility':
      return ['history_visibility'];
    case 'm.room.redaction':
      return v11 ? ['redacts'] : [];
    default:
      return [];
  }
}

/** A redacted copy of `event` (PDU or client format); the input is not modified. */
export function redactEvent(event: JsonObject, version: RoomVersion): JsonObject {
  const kept = redactionKeptKeys(version);
  const out: JsonObject = {};
  for (const key of Object.keys(event)) {
    if (kept.has(key)) out[key] = event[key] as JsonValue;
  }
  const type = event['type'];
  const content = isJsonObject(event['content']) ? event['content'] : {};
  out['content'] = redactContent(typeof type === 'string' ? type : '', content, version);
  return out;
}

/** The content an event of `type` keeps after redaction. */
export function redactContent(type: string, content: JsonObject, version: RoomVersion): JsonObject {
  const keep = redactionKeptContentKeys(type, version);
  if (keep === 'all') return content;
  const out: JsonObject = {};
  for (const key of keep) {
    if (Object.hasOwn(content, key)) out[key] = content[key] as JsonValue;
  }
  if (type === 'm.room.member' && version.updatedRedactionRules) {
    // v11: third_party_invite survives, reduced to its `signed` block (needed by auth rules).
    const invite = content['third_party_invite'];
    if (isJsonObject(invite)) {
      out['third_party_invite'] = Object.hasOwn(invite, 'signed') ? { signed: invite['signed'] as JsonValue } : {};
    }
  }
  return out;
}
