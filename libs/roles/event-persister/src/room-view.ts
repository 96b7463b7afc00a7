// The room persister actor's in-memory view of its room: version, current state map, forward
// extremities, depth and the state-group chain position, plus a cache of the state events the
// auth rules read, and the joined members (the push actions of each event are computed for
// them). Staged (not yet committed) events are already applied here, so the next event builds on
// them; the view is rebuilt from the database when the actor is re-created.
import { parsePdu, stateKeyOf, type JsonObject, type RoomEvent, type RoomVersion, type StateKey } from '@homeserver/matrix';
import { roomVersion } from '@homeserver/matrix';
import type { PushContext } from '@homeserver/services';
import { getEvents, getRoomMembers, loadPersisterSnapshot, type Queryable } from '@homeserver/storage';

export interface Extremity {
  readonly eventId: string;
  readonly depth: number;
}

/** A member event content's membership and display name (either undefined when not a string). */
export function memberFields(content: JsonObject): [membership: string | undefined, displayName: string | undefined] {
  const { membership, displayname } = content;
  return [typeof membership === 'string' ? membership : undefined, typeof displayname === 'string' ? displayname : undefined];
}

export class RoomView {
  readonly roomId: string;
  readonly version: RoomVersion;
  state: Map<StateKey, string>;
  extremities: Extremity[];
  maxDepth: number;
  /** Delta depth of the newest (staged) state group; a snapshot resets it to 0. */
  groupDepth: number;
  /** Whether any state group exists yet (the first one is always a snapshot). */
  hasGroup: boolean;
  /** The newest COMMITTED state group (the committer chains deltas on it). */
  committedGroup: { id: number; depth: number } | undefined;
  /**
   * Joined members (user ID -> display name). Replaced on every change, never mutated: each
   * staged event keeps the members it met (its push context) without a copy per event.
   */
  members: ReadonlyMap<string, string | undefined>;
  #cache = new Map<string, RoomEvent>();

  constructor(
    roomId: string,
    version: RoomVersion,
    init: {
      state?: Map<StateKey, string>;
      extremities?: Extremity[];
      maxDepth?: number;
      groupDepth?: number;
      hasGroup?: boolean;
      committedGroup?: { id: number; depth: number };
      members?: ReadonlyMap<string, string | undefined>;
    } = {},
  ) {
    this.roomId = roomId;
    this.version = version;
    this.state = init.state ?? new Map();
    this.extremities = init.extremities ?? [];
    this.maxDepth = init.maxDepth ?? 0;
    this.groupDepth = init.groupDepth ?? 0;
    this.hasGroup = init.hasGroup ?? false;
    this.committedGroup = init.committedGroup;
    this.members = init.members ?? new Map();
  }

  /** The view of a persisted room, or undefined if the room is unknown. */
  static async load(db: Queryable, roomId: string): Promise<RoomView | undefined> {
    const snapshot = await loadPersisterSnapshot(db, roomId);
    if (!snapshot) return undefined;
    const joined = await getRoomMembers(db, roomId, { memberships: ['join'] });
    return new RoomView(roomId, roomVersion(snapshot.roomVersion), {
      members: new Map(joined.map((member) => [member.userId, member.displayName])),
      state: new Map(snapshot.currentState.map((e) => [stateKeyOf(e.type, e.stateKey), e.eventId])),
      extremities: snapshot.forwardExtremities,
      maxDepth: snapshot.maxDepth,
      groupDepth: snapshot.stateGroup?.depth ?? 0,
      hasGroup: snapshot.stateGroup !== undefined,
      committedGroup: snapshot.stateGroup,
    });
  }

  stateId(type: string, stateKey: string): string | undefined {
    return this.state.get(stateKeyOf(type, stateKey));
  }

  cached(eventId: string): RoomEvent | undefined {
    return this.#cache.get(eventId);
  }

  remember(event: RoomEvent): void {
    this.#cache.set(event.eventId, event);
  }

  /** Loads the current events for these (type, state_key) pairs into the cache. */
  async ensureLoaded(db: Queryable, keys: ReadonlyArray<{ type: string; stateKey: string }>): Promise<void> {
    const missing = keys.map((k) => this.stateId(k.type, k.stateKey)).filter((id): id is string => id !== undefined && !this.#cache.has(id));
    if (missing.length === 0) return;
    const stored = await getEvents(db, missing);
    for (const event of stored.values()) this.#cache.set(event.eventId, parsePdu(event.pdu as JsonObject, this.version));
  }

  /** State event currently in effect for (type, stateKey), if loaded. */
  current(type: string, stateKey: string): RoomEvent | undefined {
    const id = this.stateId(type, stateKey);
    return id === undefined ? undefined : this.#cache.get(id);
  }

  /** Records a member's new membership (from a member event now in the current state). */
  setMembership(userId: string, membership: string | undefined, displayName: string | undefined): void {
    const joined = membership === 'join';
    if (!joined && !this.members.has(userId)) return;
    if (joined && this.members.has(userId) && this.members.get(userId) === displayName) return;
    const members = new Map(this.members);
    if (joined) members.set(userId, displayName);
    else members.delete(userId);
    this.members = members;
  }

  /** Sets the members from a whole new current state (a room joined through another server): `events` hold its member events. */
  resetMembers(events: readonly RoomEvent[]): void {
    const members = new Map<string, string | undefined>();
    for (const event of events) {
      if (event.type !== 'm.room.member' || event.stateKey === undefined || this.stateId(event.type, event.stateKey) !== event.eventId) continue;
      const [membership, displayName] = memberFields(event.content);
      if (membership === 'join') members.set(event.stateKey, displayName);
    }
    this.members = members;
  }

  /** The room as an event staged now meets it (loaded power levels; callers load them first). */
  pushContext(): PushContext {
    return { members: this.members, powerLevels: this.current('m.room.power_levels', '')?.content };
  }

  /** A copy to roll back to when a multi-event stage fails half-way. */
  checkpoint(): { state: Map<StateKey, string>; extremities: Extremity[]; maxDepth: number; groupDepth: number; hasGroup: boolean; members: ReadonlyMap<string, string | undefined> } {
    return { state: new Map(this.state), extremities: [...this.extremities], maxDepth: this.maxDepth, groupDepth: this.groupDepth, hasGroup: this.hasGroup, members: this.members };
  }

  restore(checkpoint: ReturnType<RoomView['checkpoint']>): void {
    this.members = checkpoint.members;
    this.state = checkpoint.state;
    this.extremities = checkpoint.extremities;
    this.maxDepth = checkpoint.maxDepth;
    this.groupDepth = checkpoint.groupDepth;
    this.hasGroup = checkpoint.hasGroup;
  }
}
