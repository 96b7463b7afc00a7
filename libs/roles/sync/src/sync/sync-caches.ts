// Bounded in-memory caches of what /sync reads over and over and what never changes once
// written: a state group's entries (state groups are insert-only, written in the transaction
// that stores the events pointing at them) and a room's version. Without them every long-poll
// woken by a new message re-read the state before its timeline (a recursive query over the
// group's delta chain), once per woken member. And a room's recent timeline pages: the members
// of a room woken by the same advance ask for the same page (the window from their token to
// the view's position, same limit), and one query answers them all. A page ends at the view's
// position when it was read, so only requests made before the view moves on ask for it again
// (a redaction of one of its events is a later event: it moves the view, and the window).
import { BoundedCache } from '@homeserver/services';
import { getRoom, getRoomEvents, getStateGroupIds, type Database, type RoomEventFilterSql, type StateEntry, type StoredEvent } from '@homeserver/storage';
import { coalesceInFlight } from '@homeserver/streams';

export { BoundedCache } from '@homeserver/services';

export interface SyncCachesOptions {
  /** Most state entries held over all cached state groups. Default: 100000 (~10-20 MB). */
  readonly maxStateEntries?: number;
  /** Most room versions held. Default: 10000. */
  readonly maxRooms?: number;
  /** Most events held over all recent timeline pages. Default: 10000. */
  readonly maxPageEvents?: number;
}

/** A page of a room's timeline, newest first, as timelinePage reads it. */
export interface TimelineWindow {
  readonly roomId: string;
  /**
   * The view's events position (every writer's, as text) the page is read at: with several
   * writers `from` (their highest) stays put while a lagging writer catches up below it.
   */
  readonly at: string;
  readonly from: number;
  readonly to: number | undefined;
  readonly limit: number;
  /** The timeline filter's SQL part (pages of different filters differ). */
  readonly filter: RoomEventFilterSql;
}

function pageKey(w: TimelineWindow): string {
  return `${w.roomId} ${w.at} ${w.to ?? ''} ${w.limit} ${JSON.stringify(w.filter)}`;
}

/** A timeline page shared by the requests that asked for it: read-only. */
export interface SharedPage {
  readonly events: readonly StoredEvent[];
  /** true when the page stopped at `limit` (more may follow). */
  readonly limited: boolean;
}

export class SyncCaches {
  readonly #db: Database;
  readonly #groups: BoundedCache<number, readonly StateEntry[]>;
  readonly #versions: BoundedCache<string, string>;
  /** Concurrent misses of one group share one query. */
  readonly #loading = new Map<number, Promise<readonly StateEntry[]>>();
  readonly #readPage: (window: TimelineWindow) => Promise<SharedPage>;
  readonly #pages: BoundedCache<string, SharedPage>;

  constructor(db: Database, options: SyncCachesOptions = {}) {
    this.#db = db;
    this.#groups = new BoundedCache(options.maxStateEntries ?? 100_000, (entries) => entries.length);
    this.#versions = new BoundedCache(options.maxRooms ?? 10_000);
    this.#pages = new BoundedCache(options.maxPageEvents ?? 10_000, (page) => Math.max(1, page.events.length));
    this.#readPage = coalesceInFlight(pageKey, async (w) => {
      const page = await getRoomEvents(db, w.roomId, { from: w.from, to: w.to, direction: 'b', limit: w.limit, filter: w.filter });
      const shared: SharedPage = Object.freeze({ events: Object.freeze(page.events.map((event) => Object.freeze(event))), limited: page.limited });
      this.#pages.set(pageKey(w), shared);
      return shared;
    });
  }

  /** The caches' sizes and bounds, by the name /metrics shows them under. */
  readonly stats = {
    sync_state_groups: () => this.#groups.stats(),
    sync_room_versions: () => this.#versions.stats(),
    sync_timeline_pages: () => this.#pages.stats(),
  };

  /**
   * The newest `limit` events of a room at or below `from` (the view's events position) and
   * above `to` (getRoomEvents, backwards), frozen: requests for the same page share it.
   */
  timelinePage(window: TimelineWindow): Promise<SharedPage> {
    const hit = this.#pages.get(pageKey(window));
    return hit ? Promise.resolve(hit) : this.#readPage(window);
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
