// The fields a room shows in the public rooms directory and in /hierarchy summaries (the spec's
// PublicRoomsChunk), read from the room's current state: one place so every answer agrees
// (client /publicRooms, /hierarchy, federation /publicRooms).
import type { JsonObject } from '@homeserver/matrix';

/** [state type, content key, chunk field], each copied when the content value is a string. */
const STRING_FIELDS: ReadonlyArray<readonly [string, string, string]> = [
  ['m.room.name', 'name', 'name'],
  ['m.room.topic', 'topic', 'topic'],
  ['m.room.canonical_alias', 'alias', 'canonical_alias'],
  ['m.room.avatar', 'url', 'avatar_url'],
  ['m.room.join_rules', 'join_rule', 'join_rule'],
  ['m.room.create', 'type', 'room_type'],
];

/**
 * world_readable, guest_can_join and the optional string fields, from `stateContent(type)`: the
 * content of the room's current state event of that type with an empty state key (undefined
 * when absent).
 */
export function publicRoomFields(stateContent: (type: string) => Readonly<Record<string, unknown>> | undefined): JsonObject {
  const fields: JsonObject = {
    world_readable: stateContent('m.room.history_visibility')?.['history_visibility'] === 'world_readable',
    guest_can_join: stateContent('m.room.guest_access')?.['guest_access'] === 'can_join',
  };
  for (const [type, key, out] of STRING_FIELDS) {
    const value = stateContent(type)?.[key];
    if (typeof value === 'string') fields[out] = value;
  }
  return fields;
}
