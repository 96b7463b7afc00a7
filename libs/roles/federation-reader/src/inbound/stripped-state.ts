// The stripped state another server is given of a room it knocks on (knock_room_state), with
// the event types Synapse's room_prejoin_state sends by default.
import type { JsonObject } from '@homeserver/matrix';
import { getCurrentState, type Queryable } from '@homeserver/storage';

const PREJOIN_TYPES = ['m.room.create', 'm.room.join_rules', 'm.room.name', 'm.room.avatar', 'm.room.canonical_alias', 'm.room.encryption', 'm.room.topic'];

export async function strippedRoomState(db: Queryable, roomId: string): Promise<JsonObject[]> {
  const events = await getCurrentState(db, roomId, { types: PREJOIN_TYPES, pairs: [] });
  return events.map((e) => ({ type: e.type, state_key: e.stateKey ?? '', content: (e.pdu['content'] ?? {}) as JsonObject, sender: e.sender }));
}
