// Bounded in-memory caches of what /sync reads over and over and what never changes once
// written: a state group's entries (state groups are insert-only, written in the transaction
// that stores the events pointing at them) and a room's version. Without them every long-poll
// woken by a new message re-read the state before its timeline (a recursive query over the
// group's delta chain), once per woken member. And a room's recent timeline pages: the members
// of a room woken by the same advance ask for the same page (the window from their token to
// the view's position, same limit), and one query answers them all. A page ends at the view's
// position when it was read, so only requests made before the view moves on ask for it again
// (a redaction of one of its events is a later event: it moves the view, and the window).
// Deleting events (a history purge) moves no position: forgetRoom drops the room's pages then.
// And the state events an answer's rooms start from (an initial sync's ~6 per room): stored
// events change only by a redaction (redacted_by) or a deletion, and forgetRoom hears of both.
// Misses asked for in one turn of the event loop (the rooms of an initial sync) are read with
// one statement per kind for all rooms (tick-batch.ts).
import { BoundedCache, historyVisibilityChangesOfRooms, type VisibilityChange } from '@homeserver/services';
import { getEvents, latestRoomPages, roomVersionsOf, stateGroupsEntries, type Database, type EventTxn, type RoomEventFilterSql, type StateEntry, type StoredEvent } from '@homeserver/storage';
import { coalesceInFlight } from '@homeserver/streams';
import { batchPerTick } from './tick-batch.ts';

export { BoundedCache } from '@homeserver/services';

export interface SyncCachesOptions {
  /** Most state entries held over all cached state groups. Default: 100000 (~10-20 MB). */
  readonly maxStateEntries?: number;
  /** Most room versions held. Default: 10000. */
  readonly maxRooms?: number;
  /** Most events held over all recent timeline pages. Default: 10000. */
  readonly maxPageEvents?: number;
  /** Most state events held (the state sections' events, by ID). Default: 5000. */
  readonly maxStateEvents?: number;
  /**
   * Whether removals and redactions of events are heard now (forgetRoom is called for them);
   * pages and state events read while not are shared by concurrent askers but not kept.
   * Default: always.
   */
  readonly hearsRemovals?: () => boolean;
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

/** The window's bounds, limit and filter: windows alike but for their room are read together. */
function boundsKey(w: TimelineWindow): string {
  return `${w.at} ${w.from} ${w.to ?? ''} ${w.limit} ${JSON.stringify(w.filter)}`;
}

function pageKey(w: TimelineWindow): string {
  return `${w.roomId} ${boundsKey(w)}`;
}

/** Per page key, the pages of these windows: one statement per set of bounds (latestRoomPages). */
async function readPages(db: Database, windows: readonly TimelineWindow[]): Promise<Map<string, SharedPage>> {
  const byBounds = new Map<string, TimelineWindow[]>();
  for (const w of windows) byBounds.set(boundsKey(w), [...(byBounds.get(boundsKey(w)) ?? []), w]);
  const out = new Map<string, SharedPage>();
  for (const alike of byBounds.values()) {
    const { from, to, limit, filter } = alike[0]!;
    const pages = await latestRoomPages(
      db,
      alike.map((w) => w.roomId),
      { from, to, limit, filter },
    );
    for (const w of alike) {
      const page = pages.get(w.roomId)!;
      out.set(pageKey(w), Object.freeze({ events: Object.freeze(page.events.map((event) => Object.freeze(event))), limited: page.limited, txns: page.txns }));
    }
  }
  return out;
}

/** A timeline page shared by the requests that asked for it: read-only. */
export interface SharedPage {
  readonly events: readonly StoredEvent[];
  /** true when the page stopped at `limit` (more may follow). */
  readonly limited: boolean;
  /** The transaction IDs of its events sent with one (read with the page). */
  readonly txns: ReadonlyMap<string, EventTxn>;
}

export class SyncCaches {
  readonly #groups: BoundedCache<number, readonly StateEntry[]>;
  readonly #versions: BoundedCache<string, string>;
  /** Concurrent misses of one group share one query. */
  readonly #loading = new Map<number, Promise<readonly StateEntry[]>>();
  readonly #readPage: (window: TimelineWindow) => Promise<SharedPage>;
  readonly #loadGroup: (group: number) => Promise<StateEntry[] | undefined>;
  readonly #loadVersion: (roomId: string) => Promise<string | undefined>;
  readonly #loadEvent: (eventId: string) => Promise<StoredEvent | undefined>;
  readonly #loadVisibility: (roomId: string) => Promise<VisibilityChange[] | undefined>;
  readonly #pages: BoundedCache<string, SharedPage>;
  readonly #stateEvents: BoundedCache<string, StoredEvent>;
  readonly #hearsRemovals: () => boolean;
  /** Bumped by every forgetRoom: a read that overlapped one is not kept (it may hold deleted or since redacted events). */
  #forgotten = 0;

  constructor(db: Database, options: SyncCachesOptions = {}) {
    this.#groups = new BoundedCache(options.maxStateEntries ?? 100_000, (entries) => entries.length);
    this.#versions = new BoundedCache(options.maxRooms ?? 10_000);
    this.#pages = new BoundedCache(options.maxPageEvents ?? 10_000, (page) => Math.max(1, page.events.length));
    this.#stateEvents = new BoundedCache(options.maxStateEvents ?? 5000);
    this.#hearsRemovals = options.hearsRemovals ?? (() => true);
    const loadPage = batchPerTick(pageKey, (windows: readonly TimelineWindow[]) => readPages(db, windows));
    this.#readPage = coalesceInFlight(pageKey, async (w) => {
      const forgotten = this.#forgotten;
      const shared = (await loadPage(w))!;
      if (forgotten === this.#forgotten && this.#hearsRemovals()) this.#pages.set(pageKey(w), shared);
      return shared;
    });
    this.#loadGroup = batchPerTick(String, async (groups: readonly number[]) => new Map([...(await stateGroupsEntries(db, groups))].map(([group, entries]) => [String(group), entries])));
    this.#loadVersion = batchPerTick((roomId: string) => roomId, (roomIds) => roomVersionsOf(db, roomIds));
    this.#loadEvent = batchPerTick((eventId: string) => eventId, (eventIds) => getEvents(db, eventIds));
    this.#loadVisibility = batchPerTick((roomId: string) => roomId, (roomIds) => historyVisibilityChangesOfRooms(db, roomIds));
  }

  /** The caches' sizes and bounds, by the name /metrics shows them under. */
  readonly stats = {
    sync_state_groups: () => this.#groups.stats(),
    sync_room_versions: () => this.#versions.stats(),
    sync_timeline_pages: () => this.#pages.stats(),
    sync_state_events: () => this.#stateEvents.stats(),
  };

  /**
   * The newest `limit` events of a room at or below `from` (the view's events position) and
   * above `to` (getRoomEvents, backwards), frozen: requests for the same page share it.
   */
  timelinePage(window: TimelineWindow): Promise<SharedPage> {
    const hit = this.#pages.get(pageKey(window));
    return hit ? Promise.resolve(hit) : this.#readPage(window);
  }

  /**
   * Forgets the timeline pages and state events of `roomId` (every room's when undefined):
   * events of it were deleted or redacted, or this process may have missed hearing so.
   */
  forgetRoom(roomId: string | undefined): void {
    this.#forgotten++;
    const prefix = `${roomId} `;
    this.#pages.deleteWhere((key) => roomId === undefined || key.startsWith(prefix));
    this.#stateEvents.deleteWhere((_eventId, event) => roomId === undefined || event.roomId === roomId);
  }

  /** Drops everything held (the process went dormant: the memory is better given back). */
  clear(): void {
    this.forgetRoom(undefined);
    this.#groups.deleteWhere(() => true);
    this.#versions.deleteWhere(() => true);
  }

  /** The full state of a state group (frozen: callers filter, never mutate). */
  stateGroup(group: number): Promise<readonly StateEntry[]> {
    const hit = this.#groups.get(group);
    if (hit) return Promise.resolve(hit);
    let loading = this.#loading.get(group);
    if (!loading) {
      loading = this.#loadGroup(group).then(
        (found) => {
          const entries = found ?? [];
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
    const version = await this.#loadVersion(roomId);
    if (version === undefined) return '10';
    this.#versions.set(roomId, version);
    return version;
  }

  /** The room's history visibility changes (not cached: read when a window reaches before a join). */
  async visibilityChanges(roomId: string): Promise<readonly VisibilityChange[]> {
    return (await this.#loadVisibility(roomId)) ?? [];
  }

  /**
   * The stored events of these state entries (frozen: shared by the requests that read them).
   * Misses are read with the other rooms' in the same turn.
   */
  async stateEvents(entries: readonly StateEntry[]): Promise<StoredEvent[]> {
    const forgotten = this.#forgotten;
    const events = await Promise.all(
      entries.map(async (entry) => {
        const hit = this.#stateEvents.get(entry.eventId);
        if (hit) return hit;
        const read = await this.#loadEvent(entry.eventId);
        if (read === undefined) return undefined;
        const event = Object.freeze(read);
        if (forgotten === this.#forgotten && this.#hearsRemovals()) this.#stateEvents.set(event.eventId, event);
        return event;
      }),
    );
    return events.filter((event): event is StoredEvent => event !== undefined);
  }
}
