// The sync role's view of every stream /sync serves: one StreamReader per stream whose
// deliveries wake the long-polls of exactly the users and rooms a row concerns. Positions of
// these readers make up `next_batch`, so a token never runs ahead of what this process can read.
// With no request for a while the views go dormant (dormancy.ts): the readers unsubscribe and
// everything remembered of the rows is dropped; the next request wakes them, at the writers'
// positions, before it reads a token.
import { joinedRoomIds, listenToRemovedEvents, type Database } from '@homeserver/storage';
import { StreamReader, VectorPosition, type StreamDefinition, type StreamLogger, type StreamRecord } from '@homeserver/streams';
import type { Transport } from '@homeserver/transport';
import { deviceListsStream, eventsStream, KeptListening, presenceStream, receiptsStream, toDeviceStream, typingStream } from '@homeserver/services';
import { Dormancy } from './dormancy.ts';
import { Notifier, roomKey, userKey } from './notifier.ts';
import { BoundedCache } from './sync-caches.ts';
import { inWindow, type SyncStreamName, type SyncToken } from './sync-token.ts';



export interface SyncViewsOptions {
  /** Writers of each stream (events: the persister instances). Required. */
  readonly writersOf: (stream: string) => readonly string[];
  /** CS-accounts' account data stream, when hosted: rows name the user they belong to. Default: none. */
  readonly accountDataStream?: StreamDefinition<{ readonly userId: string }>;
  /** Default: silent. */
  readonly logger?: StreamLogger;
  /** Wait before listening for removed events again after the connection died. Default: 1000 ms. */
  readonly relistenMs?: number;
  /** Events rows remembered for eventsIn (room and member only, about 100 bytes each). Default: 2000. */
  readonly recentEventRows?: number;
  /** Quiet time (no request in progress) after which the views go dormant. Default: 30000 ms. */
  readonly dormantAfterMs?: number;
}

export class SyncViews {
  readonly notifier = new Notifier();
  #db: Database;
  #readers = new Map<SyncStreamName, StreamReader<unknown>>();
  /** Joined rooms per user, dropped when the events reader sees a membership event of theirs. */
  #joined = new BoundedCache<string, readonly string[]>(200_000, (rooms) => rooms.length + 1);
  /** Bumped by every membership event: a read that overlapped one is not kept. */
  #membershipGeneration = 0;
  /** Per user, the presence the stream last showed: its state and when it was written. */
  #presence = new BoundedCache<string, { readonly state: string; readonly at: number }>(100_000);
  /**
   * The latest events rows read (room, and the user of a member event), oldest first, and per
   * writer the position above which every row of it is here (undefined: logging not started).
   */
  #recent: Array<{ writer: string; position: number; roomId: string; member: string | undefined }> = [];
  #recentFloor: VectorPosition | undefined;
  #recentRows = 2000;
  /** The writers' position queries on their way, and the round callers wait to share after them. */
  #askInFlight: Promise<void> | undefined;
  #nextAsk: Promise<SyncToken> | undefined;
  /** Told of each room whose events were deleted (undefined: any room's may have been). */
  readonly #removedListeners: Array<(roomId: string | undefined) => void> = [];
  #removed: KeptListening | undefined;
  #dormancy: Dormancy | undefined;
  /** Told when the views go dormant: what they remember of the streams' rows is dropped. */
  readonly #dormantListeners: Array<() => void> = [];

  private constructor(db: Database) {
    this.#db = db;
  }

  /** The caches' sizes and bounds (joined rooms, presence seen), by the names /metrics shows them under. */
  readonly cacheStats = { sync_joined_rooms: () => this.#joined.stats(), sync_presence_seen: () => this.#presence.stats() };

  /** The user's presence as the presence stream last showed it (undefined: not seen since the views started or woke). */
  presenceOf(userId: string): { readonly state: string; readonly at: number } | undefined {
    return this.#presence.get(userId);
  }

  static async start(db: Database, transport: Transport, options: SyncViewsOptions): Promise<SyncViews> {
    const views = new SyncViews(db);
    views.#recentRows = options.recentEventRows ?? 2000;
    // Deleted events (a purge) and backfilled redactions move no stream: caches of events hear of them here.
    const removed = (roomId: string | undefined) => {
      for (const listener of views.#removedListeners) listener(roomId);
    };
    views.#removed = await KeptListening.start(() => listenToRemovedEvents(db, removed), {
      what: 'sync views (removed events)',
      onLost: () => removed(undefined),
      relistenMs: options.relistenMs,
      logger: options.logger,
    });
    // Notify after the reader has recorded its new position (it does so right after deliver
    // returns), so a woken request reads a token that includes the rows that woke it.
    const later = (keys: Iterable<string>) => void setImmediate(() => views.notifier.notify(keys));
    const start = async <Row>(name: SyncStreamName, definition: StreamDefinition<Row>, keysOf: (records: StreamRecord<Row>[]) => Promise<Iterable<string>> | Iterable<string>) => {
      const reader = await StreamReader.start(db, transport, definition, {
        writers: options.writersOf(definition.name),
        logger: options.logger,
        deliver: async (records) => later(await keysOf(records)),
      });
      views.#readers.set(name, reader as StreamReader<unknown>);
    };
    // No statement runs before the wake-up: push actions were committed with the events.
    await start('events', eventsStream, (records) => {
      const keys = new Set<string>();
      for (const { writer, position, data } of records) {
        views.#remember(writer, position, data.roomId, data.type === 'm.room.member' ? data.stateKey : undefined);
        keys.add(roomKey(data.roomId));
        // A redaction changed an event of the room: caches of its events hear it here, before
        // the wake-up, as well as by the database's notice (which also covers backfilled ones).
        if (data.type === 'm.room.redaction') removed(data.roomId);
        if (data.type === 'm.room.member' && data.stateKey !== undefined) {
          keys.add(userKey(data.stateKey));
          views.#joined.delete(data.stateKey);
          views.#membershipGeneration++;
        }
      }
      return keys;
    });
    // Rows delivered from here on are all remembered: windows starting at or above this have them.
    views.#recentFloor = views.currentToken().events;
    views.#recent = [];
    await start('receipts', receiptsStream, (records) => records.map((r) => roomKey(r.data.roomId)));
    await start('typing', typingStream, (records) => records.map((r) => roomKey(r.data.roomId)));
    await start('to_device', toDeviceStream, (records) => records.map((r) => userKey(r.data.userId)));
    const byUserRooms = async (userIds: string[]) => {
      const keys = new Set<string>();
      for (const userId of new Set(userIds)) {
        keys.add(userKey(userId));
        for (const roomId of await views.joinedRoomsOf(userId)) keys.add(roomKey(roomId));
      }
      return keys;
    };
    await start('presence', presenceStream, (records) => {
      for (const { data } of records) views.#presence.set(data.userId, { state: data.state, at: data.lastActiveTs });
      return byUserRooms(records.map((r) => r.data.userId));
    });
    await start('device_lists', deviceListsStream, (records) => byUserRooms(records.map((r) => r.data.userId)));
    if (options.accountDataStream) {
      await start('account_data', options.accountDataStream, (records) => records.map((r) => userKey(r.data.userId)));
    }
    views.#dormancy = new Dormancy({
      afterMs: options.dormantAfterMs ?? 30_000,
      sleep: () => views.#sleep(),
      wake: () => views.#wake(),
      logger: options.logger,
    });
    return views;
  }

  /**
   * Keeps the views awake until the returned function is called (every request that reads them
   * holds them), waking them first when dormant: once it resolves, the readers follow their
   * streams again from the writers' positions and nothing remembered predates the sleep.
   */
  hold(): Promise<() => void> {
    return this.#dormancy!.hold();
  }

  /** Whether the views are dormant (or on their way in or out of it). */
  get dormant(): boolean {
    return this.#dormancy?.dormant === true;
  }

  /** Calls `listener` each time the views go dormant (the caches built on them are dropped). */
  onDormant(listener: () => void): void {
    this.#dormantListeners.push(listener);
  }

  /**
   * Unsubscribes every reader (the bus stops sending this process their advances and heartbeats)
   * and drops what was remembered of their rows: it would go stale while nothing is read.
   */
  async #sleep(): Promise<void> {
    await Promise.all([...this.#readers.values()].map((reader) => reader.suspend()));
    this.#forgetRemembered();
    this.#recent = [];
    this.#recentFloor = this.currentToken().events;
    this.notifier.forgetPast();
    for (const listener of this.#dormantListeners) listener();
  }

  /**
   * Subscribes every reader again and moves it to where its writers are, without reading the
   * rows in between: an answer reads its window from PostgreSQL, so the views only need their
   * positions (next_batch) and the caches of those rows, which are dropped again here (a
   * membership change while dormant must not leave a stale joined-rooms entry).
   */
  async #wake(): Promise<void> {
    const reached = await Promise.all([...this.#readers].map(async ([name, reader]) => [name, await reader.resume({ skipRows: true })] as const));
    const events = reached.find(([name]) => name === 'events')?.[1];
    this.#forgetRemembered();
    // Rows up to `events` were passed over; those delivered since (advances received while the
    // others resynced) are remembered and lie above it.
    if (events) {
      this.#recentFloor = events;
      this.#recent = this.#recent.filter((row) => row.position > events.get(row.writer));
    }
  }

  #forgetRemembered(): void {
    this.#joined.deleteWhere(() => true);
    this.#membershipGeneration++;
    this.#presence.deleteWhere(() => true);
  }

  #remember(writer: string, position: number, roomId: string, member: string | undefined): void {
    if (this.#recentFloor === undefined) return;
    this.#recent.push({ writer, position, roomId, member });
    if (this.#recent.length > this.#recentRows) {
      const dropped = this.#recent.splice(0, this.#recent.length - this.#recentRows);
      for (const row of dropped) this.#recentFloor = this.#recentFloor.advance(row.writer, Math.max(this.#recentFloor.get(row.writer), row.position));
    }
  }

  /**
   * The rooms with events rows in the window (since, upTo] and the users whose membership events
   * lie in it, from the rows this view read: undefined when the window reaches back past them.
   * A guess made without a statement (woken syncs start their timeline reads with it); the
   * database still decides what an answer holds.
   */
  eventsIn(since: VectorPosition, upTo: VectorPosition): { rooms: Set<string>; members: Set<string> } | undefined {
    if (this.#recentFloor === undefined || !since.covers(this.#recentFloor)) return undefined;
    const rooms = new Set<string>();
    const members = new Set<string>();
    // Newest first, up to the first row at or below every writer's window start: rows arrive in
    // position order per writer, so older ones of the same writer are out of the window too, and
    // those of others arrived before it (a guess may miss one, never name a room too many).
    for (let i = this.#recent.length - 1; i >= 0; i--) {
      const row = this.#recent[i]!;
      if (row.position <= since.min) break;
      if (!inWindow(row.position, row.writer, since, upTo)) continue;
      rooms.add(row.roomId);
      if (row.member !== undefined) members.add(row.member);
    }
    return { rooms, members };
  }

  /** The user's joined rooms when remembered (joinedRoomsOf without a statement), else undefined. */
  knownJoinedRooms(userId: string): readonly string[] | undefined {
    return this.#joined.get(userId);
  }

  /** Whether deletions and redactions of events are heard now (onEventsRemoved's listeners are told of them). */
  get hearsRemovals(): boolean {
    return this.#removed?.listening === true;
  }

  /** Calls `listener` with each room whose events were deleted or redacted (undefined: maybe any room's). */
  onEventsRemoved(listener: (roomId: string | undefined) => void): void {
    this.#removedListeners.push(listener);
  }

  /**
   * The rooms the user is joined to now (the keys a long-poll of theirs waits on), remembered
   * until this view reads a membership event of theirs: a long-poll that re-arrives after every
   * answer then costs no query for them.
   */
  async joinedRoomsOf(userId: string): Promise<readonly string[]> {
    const known = this.#joined.get(userId);
    if (known) return known;
    const generation = this.#membershipGeneration;
    const rooms = await joinedRoomIds(this.#db, userId);
    if (generation === this.#membershipGeneration) this.#joined.set(userId, rooms);
    return rooms;
  }

  /** What this process has read of every stream: the `next_batch` of a sync computed now. */
  currentToken(): SyncToken {
    const position = (name: SyncStreamName) => this.#readers.get(name)?.position ?? VectorPosition.ZERO;
    return {
      events: position('events'),
      account_data: position('account_data'),
      receipts: position('receipts'),
      typing: position('typing'),
      to_device: position('to_device'),
      presence: position('presence'),
      device_lists: position('device_lists'),
    };
  }

  /** Waits (bounded, never throwing) until every stream's reader has reached `token`. */
  async waitFor(token: SyncToken, timeoutMs: number): Promise<void> {
    await Promise.all(
      [...this.#readers].map(([name, reader]) => reader.waitFor(token[name], timeoutMs).catch(() => {})),
    );
  }

  /**
   * Read-your-writes: waits (bounded) until this view has read everything the writers of every
   * stream had announced when the request arrived (a client's own send was announced before it
   * was answered; so was the presence its sync just set), so a sync computed next contains it.
   * No statement: the writers answer with their positions.
   */
  async catchUp(timeoutMs: number): Promise<void> {
    const started = Date.now();
    const target = await this.#writersNow(timeoutMs);
    await this.waitFor(target, Math.max(0, timeoutMs - (Date.now() - started)));
  }

  /**
   * Every stream's writers' positions, asked of each. Requests arriving together share one
   * round: a caller joins the next round not yet asked (which sees every announcement before the
   * caller arrived), never one already on its way, so fifty syncs arriving at once cost two rounds.
   */
  #writersNow(timeoutMs: number): Promise<SyncToken> {
    if (this.#nextAsk) return this.#nextAsk;
    const next = (this.#askInFlight ?? Promise.resolve()).then(async () => {
      this.#nextAsk = undefined;
      const asked = Promise.all([...this.#readers].map(async ([name, reader]) => [name, await reader.writersPosition(timeoutMs)] as const));
      this.#askInFlight = asked.then(() => {}, () => {});
      const token: Partial<Record<SyncStreamName, VectorPosition>> = {};
      for (const [name, position] of await asked) token[name] = position;
      return { ...this.currentToken(), ...token };
    });
    this.#nextAsk = next;
    return next;
  }

  /** Ready while dormant too: a request wakes the views and waits for them. */
  get ready(): boolean {
    return this.dormant || [...this.#readers.values()].every((reader) => reader.ready);
  }

  async stop(): Promise<void> {
    await this.#dormancy?.stop();
    await this.#removed?.stop();
    for (const reader of this.#readers.values()) await reader.close();
  }
}
