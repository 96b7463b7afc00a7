// One group commit: every event staged since the previous commit, written in ONE transaction
// (events with stream positions, state groups, current state, memberships, relations, txn
// ids, forward extremities, search index entries, the rooms row for a creation) through the
// `events` stream writer, which announces the advance after COMMIT.
import type { JsonObject, RoomEvent } from '@homeserver/matrix';
import { encodeCanonicalJson } from '@homeserver/matrix';
import {
  insertEvents,
  insertRoom,
  insertSearchEntries,
  insertStateGroup,
  setForwardExtremities,
  updateCurrentState,
  type EventStreamRow,
  type EventToPersist,
  type Queryable,
  type SearchableEvent,
} from '@homeserver/storage';
import type { StreamTransaction } from '@homeserver/streams';

export interface StagedItem {
  readonly event: RoomEvent;
  readonly txn?: { readonly userId: string; readonly deviceId: string; readonly txnId: string };
  /** For state events: the full state after the event when this group is a snapshot. */
  readonly snapshot?: ReadonlyArray<{ type: string; stateKey: string; eventId: string }>;
  readonly createRoom?: { readonly roomVersion: string; readonly creator: string; readonly isPublic: boolean };
  /** Forward extremities after this event (the last item's value is stored). */
  readonly extremities: readonly string[];
}

export interface BatchOutcome {
  readonly positions: Map<string, number>;
  readonly committedGroup: { id: number; depth: number } | undefined;
}

function relationOf(content: JsonObject): EventToPersist['relation'] {
  const relates = content['m.relates_to'];
  if (typeof relates !== 'object' || relates === null || Array.isArray(relates)) return undefined;
  const relType = (relates as JsonObject)['rel_type'];
  const target = (relates as JsonObject)['event_id'];
  if (typeof relType !== 'string' || typeof target !== 'string') return undefined;
  const key = (relates as JsonObject)['key'];
  return { relatesTo: target, relType, aggregationKey: typeof key === 'string' ? key : undefined };
}

function membershipOf(event: RoomEvent): EventToPersist['membership'] {
  if (event.type !== 'm.room.member' || event.stateKey === undefined) return undefined;
  const { membership, displayname, avatar_url: avatarUrl } = event.content;
  return {
    userId: event.stateKey,
    membership: String(membership),
    displayName: typeof displayname === 'string' ? displayname : undefined,
    avatarUrl: typeof avatarUrl === 'string' ? avatarUrl : undefined,
  };
}

/** Writes `items` (in order) inside `tx`; positions are allocated from the events stream. */
export async function persistBatch(
  tx: StreamTransaction<EventStreamRow> & Queryable,
  items: readonly StagedItem[],
  context: { roomId: string; instanceName: string; committedGroup: { id: number; depth: number } | undefined },
): Promise<BatchOutcome> {
  const positions = await tx.allocate(items.length);
  let group = context.committedGroup;
  const rows: EventToPersist[] = [];
  const searchable: SearchableEvent[] = [];
  const currentState: Parameters<typeof updateCurrentState>[2][number][] = [];
  for (const [index, item] of items.entries()) {
    const { event } = item;
    const position = positions[index]!;
    if (item.createRoom) {
      await insertRoom(tx, { roomId: context.roomId, roomVersion: item.createRoom.roomVersion, creator: item.createRoom.creator, isPublic: item.createRoom.isPublic, createdTs: event.originServerTs });
    }
    const before = group;
    if (event.stateKey !== undefined) {
      const entry = { type: event.type, stateKey: event.stateKey, eventId: event.eventId };
      group = await insertStateGroup(tx, {
        roomId: context.roomId,
        eventId: event.eventId,
        prevGroup: item.snapshot ? undefined : group?.id,
        prevDepth: group?.depth ?? 0,
        entries: item.snapshot ?? [entry],
      });
    }
    const membership = membershipOf(event);
    rows.push({
      eventId: event.eventId,
      roomId: context.roomId,
      type: event.type,
      stateKey: event.stateKey,
      sender: event.sender,
      depth: event.depth,
      originServerTs: event.originServerTs,
      streamOrdering: position,
      instanceName: context.instanceName,
      json: encodeCanonicalJson(event.pdu),
      prevEventIds: event.prevEventIds,
      authEventIds: event.authEventIds,
      redacts: event.type === 'm.room.redaction' ? event.redacts : undefined,
      stateGroupBefore: before?.id,
      stateGroupAfter: group?.id,
      membership,
      relation: relationOf(event.content),
      txn: item.txn,
    });
    searchable.push({ eventId: event.eventId, roomId: context.roomId, type: event.type, content: event.content, streamOrdering: position, originServerTs: event.originServerTs });
    if (event.stateKey !== undefined) {
      currentState.push({ type: event.type, stateKey: event.stateKey, eventId: event.eventId, membership: membership?.membership, streamOrdering: position });
    }
    tx.addRow(position, { eventId: event.eventId, roomId: context.roomId, type: event.type, stateKey: event.stateKey, sender: event.sender, membership: membership?.membership });
  }
  await insertEvents(tx, rows);
  // POST /search's index, in the same commit so a stored message is searchable at once.
  await insertSearchEntries(tx, searchable);
  await updateCurrentState(tx, context.roomId, currentState);
  await setForwardExtremities(tx, context.roomId, items.at(-1)?.extremities ?? []);
  return { positions: new Map(items.map((item, i) => [item.event.eventId, positions[i]!])), committedGroup: group };
}
