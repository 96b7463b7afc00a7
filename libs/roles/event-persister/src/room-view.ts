// The room persister actor's in-memory view of its room: version, current state map, forward
// extremities, depth and the state-group chain position, plus a cache of the state events the
// auth rules read. Staged (not yet committed) events are already applied here, so the next
// event builds on them; the view is rebuilt from the database when the actor is re-created.
import { parsePdu, stateKeyOf, type JsonObject, type RoomEvent, type RoomVersion, type StateKey } from '@homeserver/matrix';
import { roomVersion } from '@homeserver/matrix';
import { getEvents, loadPersisterSnapshot, type Queryable } from '@homeserver/storage';

export interface Extremity {
  readonly eventId: string;
  readonly depth: number;
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
  #cache = new Map<string, RoomEvent>();

  constructor(roomId: string, version: RoomVersion, init: { state?: Map<StateKey, string>; extremities?: Extremity[]; maxDepth?: number; groupDepth?: number; hasGroup?: boolean; committedGroup?: { id: number; depth: number } } = {}) {
    this.roomId = roomId;
    this.version = version;
    this.state = init.state ?? new Map();
    this.extremities = init.extremities ?? [];
    this.maxDepth = init.maxDepth ?? 0;
    this.groupDepth = init.groupDepth ?? 0;
    this.hasGroup = init.hasGroup ?? false;
    this.committedGroup = init.committedGroup;
  }

  /** The view of a persisted room, or undefined if the room is unknown. */
  static async load(db: Queryable, roomId: string): Promise<RoomView | undefined> {
    const snapshot = await loadPersisterSnapshot(db, roomId);
    if (!snapshot) return undefined;
    return new RoomView(roomId, roomVersion(snapshot.roomVersion), {
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

  /** A copy to roll back to when a multi-event stage fails half-way. */
  checkpoint(): { state: Map<StateKey, string>; extremities: Extremity[]; maxDepth: number; groupDepth: number; hasGroup: boolean } {
    return { state: new Map(this.state), extremities: [...this.extremities], maxDepth: this.maxDepth, groupDepth: this.groupDepth, hasGroup: this.hasGroup };
  }

  restore(checkpoint: ReturnType<RoomView['checkpoint']>): void {
    this.state = checkpoint.state;
    this.extremities = checkpoint.extremities;
    this.maxDepth = checkpoint.maxDepth;
    this.groupDepth = checkpoint.groupDepth;
    this.hasGroup = checkpoint.hasGroup;
  }
}
