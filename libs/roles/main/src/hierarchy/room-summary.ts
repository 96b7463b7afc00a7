// One local room as GET /hierarchy shows it: its summary (the public rooms chunk fields plus
// room_type, encryption and room_version), its m.space.child events when it is a space, and
// whether the requesting user may see it at all. The visibility rules are Synapse's room
// summary rules (MSC3173): joined or invited; join rule public, knock (v7+) or knock_restricted
// (v10+); restricted (v8+) with membership of an allowed room; or world_readable history.
import type { JsonObject } from '@homeserver/matrix';
import { findRoomVersion } from '@homeserver/matrix';
import { publicRoomFields } from '@homeserver/services';
import { countJoinedMembers, getCurrentState, getMembership, getRoom, type Queryable, type StoredEvent } from '@homeserver/storage';

const SUMMARY_TYPES = [
  'm.room.create',
  'm.room.name',
  'm.room.topic',
  'm.room.canonical_alias',
  'm.room.avatar',
  'm.room.join_rules',
  'm.room.history_visibility',
  'm.room.guest_access',
  'm.room.encryption',
  'm.space.child',
];

/** An m.space.child event as the hierarchy returns it (stripped state plus origin_server_ts). */
export interface ChildEvent {
  readonly type: 'm.space.child';
  readonly state_key: string;
  readonly content: JsonObject;
  readonly sender: string;
  readonly origin_server_ts: number;
}

export interface HierarchyRoom {
  /** The summary fields, without children_state. */
  readonly summary: JsonObject;
  /** Sorted children (only for spaces; empty otherwise). */
  readonly children: readonly ChildEvent[];
}

function contentOf(event: StoredEvent | undefined): JsonObject {
  const content = event?.pdu['content'];
  return typeof content === 'object' && content !== null && !Array.isArray(content) ? (content as JsonObject) : {};
}

/** Children with a usable `via` (no via means removed or redacted), as the spec requires. */
function hasValidVia(content: JsonObject): boolean {
  const via = content['via'];
  return Array.isArray(via) && via.length > 0 && via.every((v) => typeof v === 'string');
}

/** The `order` key if valid: at most 50 printable ASCII characters. */
function validOrder(content: JsonObject): string | undefined {
  const order = content['order'];
  return typeof order === 'string' && order.length <= 50 && /^[\x20-\x7E]*$/.test(order) ? order : undefined;
}

/** The spec's ordering of children: valid `order` first (lexicographically), then origin_server_ts, then room ID. */
export function compareChildren(a: ChildEvent, b: ChildEvent): number {
  const oa = validOrder(a.content);
  const ob = validOrder(b.content);
  if (oa !== undefined || ob !== undefined) {
    if (oa === undefined) return 1;
    if (ob === undefined) return -1;
    if (oa !== ob) return oa < ob ? -1 : 1;
  }
  if (a.origin_server_ts !== b.origin_server_ts) return a.origin_server_ts - b.origin_server_ts;
  return a.state_key < b.state_key ? -1 : a.state_key > b.state_key ? 1 : 0;
}

/** Room IDs a restricted join rule lets members of join from. */
function allowedRooms(joinRules: JsonObject): string[] {
  const allow = joinRules['allow'];
  if (!Array.isArray(allow)) return [];
  return allow
    .filter((entry): entry is JsonObject => typeof entry === 'object' && entry !== null && !Array.isArray(entry))
    .filter((entry) => entry['type'] === 'm.room_membership' && typeof entry['room_id'] === 'string')
    .map((entry) => entry['room_id'] as string);
}

/**
 * The room as the user may see it in a hierarchy, or undefined when it is unknown here or the
 * user may not see it (both look the same to the client, as in Synapse).
 */
export async function loadHierarchyRoom(db: Queryable, roomId: string, userId: string): Promise<HierarchyRoom | undefined> {
  const room = await getRoom(db, roomId);
  if (!room) return undefined;
  // Rooms of a version this server does not know are left out rather than failing the walk.
  const version = findRoomVersion(room.roomVersion);
  if (!version) return undefined;
  const state = await getCurrentState(db, roomId, { types: SUMMARY_TYPES });
  const single = (type: string) => contentOf(state.find((e) => e.type === type && e.stateKey === ''));
  const joinRules = single('m.room.join_rules');
  const joinRule = typeof joinRules['join_rule'] === 'string' ? joinRules['join_rule'] : undefined;
  const historyVisibility = single('m.room.history_visibility')['history_visibility'];
  const restricted = (version.restrictedJoinRule && joinRule === 'restricted') || (version.knockRestrictedJoinRule && joinRule === 'knock_restricted');
  const allowed = restricted ? allowedRooms(joinRules) : [];

  if (!(await mayView(db, { roomId, userId, joinRule, historyVisibility, allowed, knock: version.knockJoinRule, knockRestricted: version.knockRestrictedJoinRule }))) return undefined;

  const summary: JsonObject = {
    room_id: roomId,
    room_version: room.roomVersion,
    num_joined_members: (await countJoinedMembers(db, [roomId])).get(roomId) ?? 0,
    ...publicRoomFields(single),
  };
  if (single('m.room.encryption')['algorithm'] === 'm.megolm.v1.aes-sha2') summary['encryption'] = 'm.megolm.v1.aes-sha2';

  const children: ChildEvent[] = summary['room_type'] !== 'm.space'
    ? []
    : state
        .filter((e) => e.type === 'm.space.child' && e.stateKey !== undefined && hasValidVia(contentOf(e)))
        .map((e) => ({ type: 'm.space.child' as const, state_key: e.stateKey!, content: contentOf(e), sender: e.sender, origin_server_ts: e.originServerTs }))
        .sort(compareChildren);
  return { summary, children };
}

interface ViewCheck {
  readonly roomId: string;
  readonly userId: string;
  readonly joinRule: string | undefined;
  readonly historyVisibility: unknown;
  readonly allowed: readonly string[];
  readonly knock: boolean;
  readonly knockRestricted: boolean;
}

async function mayView(db: Queryable, check: ViewCheck): Promise<boolean> {
  const { joinRule } = check;
  if (joinRule === 'public' || (check.knock && joinRule === 'knock') || (check.knockRestricted && joinRule === 'knock_restricted')) return true;
  if (check.historyVisibility === 'world_readable') return true;
  const membership = (await getMembership(db, check.roomId, check.userId))?.membership;
  if (membership === 'join' || membership === 'invite') return true;
  for (const allowedRoom of check.allowed) {
    if ((await getMembership(db, allowedRoom, check.userId))?.membership === 'join') return true;
  }
  return false;
}
