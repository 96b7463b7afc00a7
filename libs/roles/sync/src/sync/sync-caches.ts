// Bounded in-memory caches of what /sync reads over and over and what never changes once
// written: a state group's entries (state groups are insert-only, written in the transaction
// that stores the events pointing at them) and a room's version. Without them every long-poll
// woken by a new message re-read the state before its timeline (a recursive query over the
// group's delta chain), once per woken member.
import { BoundedCache } from '@homeserver/services';
import { getRoom, getStateGroupIds, type Database, type StateEntry } from '@homeserver/storage';

export { BoundedCache } from '@homeserver/services';

export interface SyncCachesOptions {
  /** Most state entries held over all cached state groups. Default: 100000 (~10-20 MB). */
  readonly maxStateEntries?: number;
  /** Most room versions held. Default: 10000. */
  readonly maxRooms?: number;
}

export class SyncCaches {
  readonly #db: Database;
  readonly #groups: BoundedCache<number, readonly StateEntry[]>;
  readonly #versions: BoundedCache<string, string>;
  /** Concurrent misses of one group share one query. */
  readonly #loading = new Map<number, Promise<readonly StateEntry[]>>();

  constructor(db: Database, options: SyncCachesOptions = {}) {
    this.#db = db;
    this.#groups = new BoundedCache(options.maxStateEntries ?? 100_000, (entries) => entries.length);
    this.#versions = new BoundedCache(options.maxRooms ?? 10_000);
  }

  /** The full state of a state group (frozen: callers filter, never mutate). */
  stateGroup(group: number): Promise<readonly StateEntry[]> {
    const hit = this.#groups.get(group);
    if (hit) return Promise.resolve(hit);
    let loading = this.#loading.get(group);
    if (!loading) {
      loading = getStateGroupIds(this.#db, group).then(
        (entries) => {
          const frozen = Object.freeze(entries);
          this.#groups.set(group, frozen);
          this.#loading.delete(group);
          return frozen;
        },
        (error: unknown) => {
          this.#loading.delete(group);
          throw error;
        },
      );
      this.#loading.set(group, loading);
    }
    return loading;
  }

  /** The room's version; '10' for a room this server does not know (not cached). */
  async roomVersion(roomId: string): Promise<string> {
    const hit = this.#versions.get(roomId);
    if (hit !== undefined) return hit;
    const room = await getRoom(this.#db, roomId);
    if (!room) return '10';
    this.#versions.set(roomId, room.roomVersion);
    return room.roomVersion;
  }
}
