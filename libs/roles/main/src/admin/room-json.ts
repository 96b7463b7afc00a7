// Rooms in Synapse's admin shapes: the list item of GET /v1/rooms and the details of
// GET /v1/rooms/{roomId} (the list item plus avatar, topic and what Synapse adds).
import type { AdminRoomRow } from '@homeserver/storage';

export function roomListItem(r: AdminRoomRow): Record<string, unknown> {
  return {
    room_id: r.roomId,
    name: r.name,
    canonical_alias: r.canonicalAlias,
    joined_members: r.joinedMembers,
    joined_local_members: r.joinedLocalMembers,
    version: r.version,
    creator: r.creator,
    encryption: r.encryption,
    federatable: r.federatable,
    public: r.public,
    join_rules: r.joinRules,
    guest_access: r.guestAccess,
    history_visibility: r.historyVisibility,
    state_events: r.stateEvents,
    room_type: r.roomType,
  };
}

export function roomDetails(r: AdminRoomRow, extra: { joinedLocalDevices: number; forgotten: boolean; replacementRoom: string | null | undefined }): Record<string, unknown> {
  return {
    ...roomListItem(r),
    avatar: r.avatar,
    topic: r.topic,
    joined_local_devices: extra.joinedLocalDevices,
    forgotten: extra.forgotten,
    tombstoned: extra.replacementRoom !== undefined,
    replacement_room: extra.replacementRoom ?? null,
  };
}
