// One group commit: every event staged since the previous commit of each room in the group
// (the group committer gathers the rooms of one persister), written in ONE transaction (events
// with stream positions, state groups, current state, memberships, relations, txn ids, forward
// extremities, search index entries, push actions, the rooms row for a creation, and each
// room's ownership fence) through the `events` stream writer, which announces the advance after
// COMMIT. The rows of every room go in a few combined statements (one for the events and what
// hangs on them, one for current state, extremities, push actions and fences), so a
// transaction costs as many round trips for ten rooms as for one.
//
// Each announced event is tagged with the views of the events stream whose consumers need it
// (events-stream.ts): `federation` when another server may be owed it, `push` when it produced
// push actions for a user with a pusher. The tags are stored with the event (stream_views) and ride on its inline row, so
// the federation sender and the pusher hear of a room only when they have work in it.
import type { JsonObject, RoomEvent } from '@homeserver/matrix';
import { encodeCanonicalJson } from '@homeserver/matrix';
import {
  allocateBehindOrderings,
  currentStateWrites,
  eventStreamViewBits,
  fenceRoomCommits,
  forwardExtremityWrites,
  insertEvents,
  insertRoom,
  insertStateGroup,
  refreshPushSummaries,
  searchEntryWrites,
  stateMembershipWrites,
  type CurrentStateUpdate,
  type EventStreamRow,
  type EventStreamView,
  type EventToPersist,
  type Queryable,
  type SearchableEvent,
  type StateMembershipRow,
  pushRulesAndPushersOf,
} from '@homeserver/storage';
import { evaluatePushActions, ownPushRules, type PushCandidate, type PushContext } from '@homeserver/services';
import type { StreamTransaction } from '@homeserver/streams';

export type StateEntries = ReadonlyArray<{ readonly type: string; readonly stateKey: string; readonly eventId: string }>;

/** A state group to reference: an existing one, or a full snapshot to write. */
export type GroupInput = { readonly id: number; readonly depth: number } | { readonly snapshot: StateEntries };

/**
 * How an item's state groups are written:
 * - `chain`: a local event (or an ingested one on the current state): deltas chained on the
 *   room's running head, a full snapshot every so often (`snapshot` set);
 * - `explicit`: an ingested event whose state before was resolved or read from its prev events;
 *   `head` (when set) becomes the room's running head: the current state after it.
 * - `none`: outliers, stored without state.
 */
export type ItemGroups =
  | { readonly kind: 'chain'; readonly snapshot?: StateEntries }
  | { readonly kind: 'explicit'; readonly before: GroupInput | undefined; readonly after: GroupInput | 'before' | undefined; readonly head?: GroupInput | 'after' }
  | { readonly kind: 'none' };

/** A member event of a joined remote room's state (stored as an outlier) that is in its current state. */
export type StateMembership = StateMembershipRow;

export interface StagedItem {
  readonly event: RoomEvent;
  readonly txn?: { readonly userId: string; readonly deviceId: string; readonly txnId: string };
  readonly groups: ItemGroups;
  readonly createRoom?: { readonly roomVersion: string; readonly creator: string; readonly isPublic: boolean };
  /** Stored behind the timeline (negative ordering, not announced on the `events` stream). */
  readonly behind: boolean;
  readonly rejected?: string;
  readonly outlier?: boolean;
  /** Takes the stored outlier of the same ID into the timeline (backfill reached it). */
  readonly replacesOutlier?: boolean;
  /** An outlier whose membership counts for its user (an out-of-band invite). */
  readonly outOfBandMembership?: boolean;
  readonly softFailed?: boolean;
  /** A redaction stored and served but not applied to its target (redaction-verdict.ts). */
  readonly redactionUnapplied?: boolean;
  /** Current state rows this item sets; chain items set their own event's key. Default: none. */
  readonly currentState?: ReadonlyArray<{ readonly type: string; readonly stateKey: string; readonly eventId: string; readonly membership: string | undefined }>;
  /**
   * Memberships of the state this item sets that are outliers (a remote join's state): recorded
   * at this item's position, so member lists and the rooms of each user see them. Default: none.
   */
  readonly stateMemberships?: readonly StateMembership[];
  /** Forward extremities after this item; undefined leaves them as they are. */
  readonly extremities?: readonly string[];
  /** The room as the event met it, for its push actions (stored with it). Default: none stored. */
  readonly push?: PushContext;
}

export interface BatchOutcome {
  /** The ordering of each event (negative for events stored behind the timeline). */
  readonly positions: Map<string, number>;
  readonly committedGroup: { id: number; depth: number } | undefined;
}

/** A commit by a process that no longer owns the room at its epoch: rolled back, never retried by that actor. */
export class RoomFencedError extends Error {
  override name = 'RoomFencedError';
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

/** One room's part of a group commit. */
export interface RoomBatch {
  readonly items: readonly StagedItem[];
  readonly roomId: string;
  readonly committedGroup: { id: number; depth: number } | undefined;
  readonly owner: { instanceName: string; epoch: number };
}

/** What every room of a group shares: the persister and its server. */
export interface PersistContext {
  readonly instanceName: string;
  /** Push actions are stored for users of this server only. */
  readonly serverName: string;
}

/** Rows of a group commit, gathered room by room and written once per table. */
class GroupRows {
  readonly events: EventToPersist[] = [];
  readonly searchable: SearchableEvent[] = [];
  readonly pushed: PushCandidate[] = [];
  readonly stateMemberships: Parameters<typeof stateMembershipWrites>[0][number][] = [];
  readonly currentState = new Map<string, CurrentStateUpdate[]>();
  readonly extremities = new Map<string, readonly string[]>();
  readonly fences: Parameters<typeof fenceRoomCommits>[1][number][] = [];
  /** The events announced on the stream: their index in `events`, position, row and whether other servers may be owed them. */
  readonly announced: Array<{ readonly index: number; readonly position: number; readonly row: EventStreamRow; readonly federation: boolean; readonly leaves: boolean }> = [];
}

/** Whether a joined members map (replaced on change, never mutated) holds a user of another server. */
const remoteJoined = new WeakMap<ReadonlyMap<string, unknown>, boolean>();

const isRemote = (userId: string, serverName: string) => userId.slice(userId.indexOf(':') + 1) !== serverName;

/**
 * Whether the event is in the `leaves` view: a leave or ban that takes effect (what the view's
 * catch-up reads: its membership row is stored, as insertEvents stores them).
 */
function leavesRoom(item: StagedItem, membership: EventToPersist['membership']): boolean {
  if (membership === undefined || (membership.membership !== 'leave' && membership.membership !== 'ban') || item.rejected !== undefined) return false;
  return (item.outlier !== true && item.softFailed !== true) || item.outOfBandMembership === true;
}

/**
 * Whether another server may be owed the event (its federation view): our user sent it, and its
 * room had a member of another server joined as the event met it, or it concerns a user of
 * another server (a join, invite or kick of theirs). Without the members (`push` unset) it may.
 */
function mayFederate(event: RoomEvent, push: PushContext | undefined, serverName: string): boolean {
  if (isRemote(event.sender, serverName)) return false;
  if (event.type === 'm.room.member' && event.stateKey !== undefined && isRemote(event.stateKey, serverName)) return true;
  if (push === undefined) return true;
  let remote = remoteJoined.get(push.members);
  if (remote === undefined) {
    remote = [...push.members.keys()].some((userId) => isRemote(userId, serverName));
    remoteJoined.set(push.members, remote);
  }
  return remote;
}

/**
 * Writes each room's items (in order) inside `tx`; positions are allocated from the events
 * stream for all rooms at once. Fails (rolled back) when any room's fence fails.
 */
export async function persistRooms(tx: StreamTransaction<EventStreamRow> & Queryable, batches: readonly RoomBatch[], context: PersistContext): Promise<BatchOutcome[]> {
  const items = batches.flatMap((batch) => batch.items);
  const timeline = items.filter((item) => !item.behind).length;
  const positions = timeline > 0 ? await tx.allocate(timeline) : [];
  const behind = await allocateBehindOrderings(tx, items.length - timeline);
  const rows = new GroupRows();
  const outcomes: BatchOutcome[] = [];
  for (const batch of batches) outcomes.push(await stageRoom(tx, batch, context, { positions, behind }, rows));
  // Push actions are evaluated before the events are stored: the events that notify a user with
  // a pusher are the push view (read in this transaction: a pusher added after it commits starts
  // after these events, as Synapse's start at the stream's position when they are added).
  let pushable = new Set<string>();
  const pushActions = await evaluatePushActions(tx, rows.pushed, {
    serverName: context.serverName,
    // One statement reads the evaluated users' rules and which of them have a pusher.
    pushRulesOf: async (userIds, via) => {
      const read = await pushRulesAndPushersOf(via, userIds);
      pushable = read.withPushers;
      return ownPushRules(read.rules);
    },
  });
  const notifying = new Set(pushActions.filter((action) => pushable.has(action.userId)).map((action) => action.eventId));
  const events = [...rows.events];
  for (const { index, position, row, federation, leaves } of rows.announced) {
    const views: EventStreamView[] = [];
    if (federation) views.push('federation');
    if (notifying.has(row.eventId)) views.push('push');
    if (leaves) views.push('leaves');
    events[index] = { ...events[index]!, streamViews: eventStreamViewBits(views) };
    tx.addRow(position, row, views);
  }
  // One statement for the events and their rows, the joined state's memberships and POST
  // /search's index (in the same commit so a stored message is searchable at once).
  await insertEvents(tx, events, [...stateMembershipWrites(rows.stateMemberships), ...searchEntryWrites(rows.searchable)]);
  // A local user's new membership moves where their unread counts start when they have no read
  // receipt (after a join, their invite's push no longer counts): their summaries are recounted
  // once the membership rows are in, before this commit's push actions are added to them.
  const localMembers = rows.events.filter((e) => e.membership !== undefined && e.membership.userId.endsWith(`:${context.serverName}`));
  await refreshPushSummaries(
    tx,
    localMembers.map((e) => ({ userId: e.membership!.userId, roomId: e.roomId })),
    { createMissing: false },
  );
  // One statement for the current state, the forward extremities, the push actions and the
  // fences, last, so the owner rows' and summaries' locks are held only for the end of the
  // transaction. Push actions in the same commit: a /sync woken by these events counts them,
  // and readers of the events stream (sync, pusher) never compute them.
  const fenced = await fenceRoomCommits(tx, rows.fences, [...currentStateWrites(rows.currentState), ...forwardExtremityWrites(rows.extremities)], pushActions);
  if (fenced.length > 0) {
    const owner = batches.find((batch) => batch.roomId === fenced[0])!.owner;
    throw new RoomFencedError(`instance ${owner.instanceName} no longer owns room ${fenced.join(', ')} at epoch ${owner.epoch}: the commit was rolled back`);
  }
  return outcomes;
}

/** One room's rows into `rows` (its state groups are written here: later deltas chain on their ids). */
async function stageRoom(
  tx: StreamTransaction<EventStreamRow> & Queryable,
  batch: RoomBatch,
  context: PersistContext,
  allocated: { positions: number[]; behind: number[] },
  rows: GroupRows,
): Promise<BatchOutcome> {
  const { roomId } = batch;
  let group = batch.committedGroup;
  const currentState: CurrentStateUpdate[] = [];
  const orderings = new Map<string, number>();
  let extremities: readonly string[] | undefined;
  const store = async (input: GroupInput, eventId: string | undefined) =>
    'id' in input ? input : insertStateGroup(tx, { roomId, eventId: eventId ?? '', prevGroup: undefined, prevDepth: 0, entries: input.snapshot });
  for (const item of batch.items) {
    const { event } = item;
    const position = item.behind ? allocated.behind.shift()! : allocated.positions.shift()!;
    orderings.set(event.eventId, position);
    if (item.createRoom) {
      await insertRoom(tx, { roomId, roomVersion: item.createRoom.roomVersion, creator: item.createRoom.creator, isPublic: item.createRoom.isPublic, createdTs: event.originServerTs });
    }
    let before: { id: number; depth: number } | undefined;
    let after: { id: number; depth: number } | undefined;
    if (item.groups.kind === 'chain') {
      before = group;
      if (event.stateKey !== undefined) {
        group = await insertStateGroup(tx, {
          roomId,
          eventId: event.eventId,
          prevGroup: item.groups.snapshot ? undefined : group?.id,
          prevDepth: group?.depth ?? 0,
          entries: item.groups.snapshot ?? [{ type: event.type, stateKey: event.stateKey, eventId: event.eventId }],
        });
      }
      after = group;
    } else if (item.groups.kind === 'explicit') {
      before = item.groups.before && (await store(item.groups.before, undefined));
      after = item.groups.after === 'before' ? before : item.groups.after && (await store(item.groups.after, event.eventId));
      const head = item.groups.head;
      if (head) group = head === 'after' ? after : await store(head, undefined);
    }
    const membership = membershipOf(event);
    rows.events.push({
      eventId: event.eventId,
      roomId,
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
      redacts: event.type === 'm.room.redaction' && item.redactionUnapplied !== true ? event.redacts : undefined,
      rejected: item.rejected,
      outlier: item.outlier,
      replacesOutlier: item.replacesOutlier,
      outOfBandMembership: item.outOfBandMembership,
      softFailed: item.softFailed,
      stateGroupBefore: before?.id,
      stateGroupAfter: after?.id,
      membership,
      relation: relationOf(event.content),
      txn: item.txn,
    });
    const served = item.rejected === undefined && !item.outlier && !item.softFailed;
    if (served) rows.searchable.push({ eventId: event.eventId, roomId, type: event.type, content: event.content, streamOrdering: position, originServerTs: event.originServerTs });
    if (served && !item.behind && item.push) rows.pushed.push({ eventId: event.eventId, roomId, sender: event.sender, pdu: event.pdu, streamOrdering: position, context: item.push });
    if (item.groups.kind === 'chain' && event.stateKey !== undefined) {
      currentState.push({ type: event.type, stateKey: event.stateKey, eventId: event.eventId, membership: membership?.membership, streamOrdering: position });
    }
    for (const entry of item.currentState ?? []) currentState.push({ ...entry, streamOrdering: position });
    for (const entry of item.stateMemberships ?? []) rows.stateMemberships.push({ ...entry, roomId, streamOrdering: position });
    if (item.extremities) extremities = item.extremities;
    if (!item.behind) {
      const row = { eventId: event.eventId, roomId, type: event.type, stateKey: event.stateKey, sender: event.sender, membership: membership?.membership };
      rows.announced.push({ index: rows.events.length - 1, position, row, federation: mayFederate(event, item.push, context.serverName), leaves: leavesRoom(item, membership) });
    }
  }
  if (currentState.length > 0) rows.currentState.set(roomId, currentState);
  if (extremities) rows.extremities.set(roomId, extremities);
  rows.fences.push({ roomId, owner: batch.owner, head: group });
  return { positions: orderings, committedGroup: group };
}
