// /sync: builds the response for a `since` token up to this process's current token and, when
// there is nothing new, long-polls on the notifier (keys: the user and their rooms) until a
// stream advance concerns them or the timeout passes. Behaviour follows Synapse's SyncHandler.
import { invalidParam } from '@homeserver/http';
import {
  getAccountData,
  deleteToDevice,
  deviceKeyStatus,
  joinedMembers,
  joinedRoomIds,
  membershipChanges,
  presenceForUsers,
  syncWindows,
  toDeviceForDevice,
  usersJoinedBetween,
  usersLeftBetween,
  usersSharingRooms,
  usersWithDeviceChanges,
  type Database,
  type SyncWindow,
  type SyncWindowOptions,
} from '@homeserver/storage';
import { InvalidStreamTokenError, LiveWriterIds, VectorPosition, type WriterIds } from '@homeserver/streams';
import { NO_ACCOUNT_DATA, type AccountDataChanges, type AccountDataSource } from './account-data-source.ts';
import { roomKey, userKey } from './notifier.ts';
import { buildRooms, type RoomsResult } from './rooms-section.ts';
import { assertPeekable, peekRoomEvents, type PeekedEvents } from './peek-room.ts';
import { presenceEvent } from './presence-events.ts';
import { newcomerPresence } from './newcomer-presence.ts';
import { SyncCaches } from './sync-caches.ts';
import { batchedFormatter, type SyncFormatter } from './batched-formatter.ts';
import { batchPerTick } from './tick-batch.ts';
import { started } from './started.ts';
import { EventFormatter, eventMatches, roomMatches } from '@homeserver/services';
import { sharedTimelineWindow } from './joined-room.ts';
import type { SyncFilter } from './sync-filter.ts';
import { decodeSyncToken, encodeSyncToken, inWindow, sqlWindow, withStream, ZERO_TOKEN, type SyncToken } from './sync-token.ts';
import type { SyncViews } from './sync-views.ts';

export interface SyncServiceOptions {
  readonly db: Database;
  readonly views: SyncViews;
  /**
   * Writer names <-> the ids tokens carry. With LiveWriterIds, writers that joined after this
   * process started (a new event persister) are learned from the database on first sight.
   */
  readonly writerIds: WriterIds | LiveWriterIds;
  /** How long a sync whose `since` is ahead of this process's view waits for the view. Default: 2000 ms. */
  readonly sinceWaitMs?: number;
  /** Default: no account data. */
  readonly accountData?: AccountDataSource;
  /** Milliseconds since the epoch. Default: Date.now. */
  readonly now?: () => number;
  /** Most to-device messages per response. Default: 100. */
  readonly toDeviceLimit?: number;
  /** Longest long-poll honoured. Default: 300000 ms. */
  readonly maxTimeoutMs?: number;
}

export interface SyncRequest {
  readonly userId: string;
  readonly deviceId: string;
  readonly since: string | undefined;
  readonly filter: SyncFilter;
  readonly fullState: boolean;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

export interface PeekRequest {
  readonly userId: string;
  readonly deviceId: string;
  readonly roomId: string;
  readonly since: string | undefined;
  readonly filter: SyncFilter;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

function covers(a: SyncToken, b: SyncToken): boolean {
  return (Object.keys(a) as Array<keyof SyncToken>).every((name) => a[name].covers(b[name]));
}

function mergeTokens(a: SyncToken, b: SyncToken): SyncToken {
  return Object.fromEntries((Object.keys(a) as Array<keyof SyncToken>).map((name) => [name, a[name].merge(b[name])])) as SyncToken;
}

function sameToken(a: SyncToken, b: SyncToken): boolean {
  return (Object.keys(a) as Array<keyof SyncToken>).every((name) => a[name].equals(b[name]));
}

/**
 * No row of the stream can lie in the window's SQL bounds (so none in any writer's window):
 * a woken long-poll skips the queries of every stream that did not move.
 */
function quiet(since: VectorPosition, upTo: VectorPosition): boolean {
  const { floor, ceiling } = sqlWindow(since, upTo);
  return floor >= ceiling;
}

const NO_ROOMS: RoomsResult = { body: { join: {}, invite: {}, leave: {}, knock: {} }, changed: false, membershipQuiet: true };

/** A map that forgets its oldest key past `max` entries (per-device memos). */
function remember<V>(map: Map<string, V>, key: string, value: V, max: number): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > max) map.delete(map.keys().next().value!);
}

export class SyncService {
  #options: SyncServiceOptions;
  #db: Database;
  /** Member events sent per (user, device, room), for lazy-loading without redundancy. */
  #sentMembers = new Map<string, Set<string>>();
  /** Each user's m.ignored_user_list as last seen, so a sync reads it only when it changes. */
  #ignored = new Map<string, ReadonlySet<string>>();
  /** Per device: to-device messages up to this position were deleted (acknowledged) already. */
  #toDeviceDeleted = new Map<string, number>();
  #caches: SyncCaches;
  #formatter: EventFormatter;
  /** The formatter, with the calls of rooms built in the same turn made one (batched-formatter.ts). */
  #batchedFormatter: SyncFormatter;
  /**
   * The window overview (sync-window.ts) of the syncs computed in the same turn, in one
   * statement: an event wakes the long-polls of its room's members together, and each asks.
   */
  #overview: (asker: SyncWindowOptions) => Promise<SyncWindow | undefined>;

  constructor(options: SyncServiceOptions) {
    this.#options = options;
    this.#db = options.db;
    this.#caches = new SyncCaches(options.db, { hearsRemovals: () => options.views.hearsRemovals });
    options.views.onEventsRemoved((roomId) => this.#caches.forgetRoom(roomId));
    // A dormant process gives back what it read for requests (it is read again when asked).
    options.views.onDormant(() => {
      this.#caches.clear();
      this.#ignored.clear();
    });
    this.#formatter = new EventFormatter(options.db, { now: () => this.#now() });
    this.#batchedFormatter = batchedFormatter(this.#formatter);
    const askerKey = (a: SyncWindowOptions) => `${a.userId} ${a.deviceId} ${a.upTo} ${a.window.floor} ${a.window.ceiling}`;
    this.#overview = batchPerTick(askerKey, async (askers: readonly SyncWindowOptions[]) => {
      const windows = await syncWindows(options.db, askers);
      return new Map(askers.map((asker, i) => [askerKey(asker), windows[i]!]));
    });
  }

  /** The caches' sizes and bounds, by the name /metrics shows them under. */
  get cacheStats(): SyncCaches['stats'] {
    return this.#caches.stats;
  }

  #now(): number {
    return (this.#options.now ?? Date.now)();
  }

  /**
   * Decodes a token (400 M_INVALID_PARAM when it is not one). A token naming a writer id this
   * process has not loaded yet (a writer that joined since it started) is decoded after one
   * reload of the ids; an id the database does not know either is a bad token.
   */
  async parseSince(text: string | undefined): Promise<SyncToken | undefined> {
    if (text === undefined) return undefined;
    const ids = this.#options.writerIds;
    try {
      return decodeSyncToken(text, ids);
    } catch (error) {
      if (!(error instanceof InvalidStreamTokenError)) throw error;
      if (ids instanceof LiveWriterIds) {
        const named = [...text.matchAll(/~([0-9]{1,10})\./g)].map((match) => Number(match[1]));
        let learned = false;
        for (const id of new Set(named)) learned = (await ids.ensureId(id)) || learned;
        if (learned) {
          try {
            return decodeSyncToken(text, ids);
          } catch (again) {
            if (!(again instanceof InvalidStreamTokenError)) throw again;
            throw invalidParam(`cannot use since token ${JSON.stringify(text)}: ${again.message}`);
          }
        }
      }
      throw invalidParam(`cannot use since token ${JSON.stringify(text)}: ${error.message}`);
    }
  }

  /**
   * The view's token, never behind `since`: a token another sync worker issued may name a
   * writer (or position) this view has not read yet. The caller waited (bounded) for the view;
   * if it is still behind, the client already has those rows, so the answer starts from them.
   */
  /**
   * The user's ignored users: from the window's account data when the list changed in it (or on
   * an initial sync, which carries all of it), else as last seen, read once per process.
   */
  async #ignoredUsers(db: Database, userId: string, accountData: AccountDataChanges, initial: boolean): Promise<ReadonlySet<string>> {
    const change = accountData.global.find((item) => item.type === 'm.ignored_user_list');
    let ignored = change ? ignoredIn(change.content) : initial && this.#options.accountData ? new Set<string>() : this.#ignored.get(userId);
    ignored ??= ignoredIn(await getAccountData(db, userId, '', 'm.ignored_user_list'));
    this.#ignored.delete(userId);
    this.#ignored.set(userId, ignored);
    if (this.#ignored.size > 10_000) this.#ignored.delete(this.#ignored.keys().next().value!);
    return ignored;
  }

  async #currentToken(since: SyncToken | undefined): Promise<SyncToken> {
    const upTo = this.#options.views.currentToken();
    const token = since ? mergeTokens(upTo, since) : upTo;
    const ids = this.#options.writerIds;
    if (ids instanceof LiveWriterIds) {
      const names = new Set<string>();
      for (const position of Object.values(token)) for (const writer of position.writers.keys()) names.add(writer);
      await ids.ensureNames(names);
    }
    return token;
  }

  /** A token as clients see it. */
  encodeToken(token: SyncToken): string {
    return encodeSyncToken(token, this.#options.writerIds);
  }

  /** The token of everything committed so far (the view caught up first): where a stream that starts now begins. */
  currentSince(): Promise<string> {
    return this.#awake(() => this.#currentSinceAwake());
  }

  async #currentSinceAwake(): Promise<string> {
    await this.#options.views.catchUp(1000);
    return encodeSyncToken(await this.#currentToken(undefined), this.#options.writerIds);
  }

  /** Runs `work` with the views held awake (woken first when dormant: see dormancy.ts). */
  async #awake<T>(work: () => Promise<T>): Promise<T> {
    const release = await this.#options.views.hold();
    try {
      return await work();
    } finally {
      release();
    }
  }

  sync(request: SyncRequest): Promise<Record<string, unknown>> {
    return this.#awake(() => this.#syncAwake(request));
  }

  async #syncAwake(request: SyncRequest): Promise<Record<string, unknown>> {
    const since = await this.parseSince(request.since);
    const { views } = this.#options;
    if (since && !covers(views.currentToken(), since)) await views.waitFor(since, this.#options.sinceWaitMs ?? 2000);
    const longPoll = since !== undefined && !request.fullState;
    // Read-your-writes for an answer given at once (initial, full_state, timeout 0): the view
    // first reaches what every writer had announced (asked of them, no statement). A long-poll
    // needs no such round (one each time a client re-sends it): an event of the client's the
    // view has not read yet wakes the poll when it is read, as in Synapse.
    if (!longPoll || request.timeoutMs === 0) await views.catchUp(1000);
    const deadline = Date.now() + Math.min(request.timeoutMs, this.#options.maxTimeoutMs ?? 300_000);
    const finished = () => Date.now() >= deadline || request.signal?.aborted === true;
    for (;;) {
      const seq = views.notifier.seq;
      const upTo = await this.#currentToken(since);
      // A client that is where this view is (the long-poll re-sent after every answer) has
      // nothing new: wait first, and compute once something moved or at the timeout.
      let body: Record<string, unknown> | undefined;
      if (!(longPoll && sameToken(since, upTo) && !finished())) {
        const computed = await this.#compute(request, since, upTo);
        if (!longPoll || !computed.empty || finished()) return computed.body;
        body = computed.body;
      }
      const answer = async () => body ?? (await this.#compute(request, since, await this.#currentToken(since))).body;
      const rooms = await views.joinedRoomsOf(request.userId);
      const keys = [userKey(request.userId), ...rooms.map(roomKey)];
      let afterSeq = seq;
      for (;;) {
        const left = deadline - Date.now();
        if (left <= 0) return answer();
        const outcome = await views.notifier.wait(keys, { afterSeq, timeoutMs: left, signal: request.signal });
        if (outcome === 'timeout' || request.signal?.aborted) return answer();
        // A late notification for rows the answer already covered: nothing to recompute.
        if (!sameToken(mergeTokens(views.currentToken(), since ?? ZERO_TOKEN), upTo)) break;
        afterSeq = views.notifier.seq;
      }
    }
  }

  /**
   * GET /events?room_id=: one room's news since `since` (now when absent) for a user joined to it
   * or peeking into its world_readable history, long-polling on the room (its events, typing,
   * receipts and members' presence all notify it) up to `timeoutMs`.
   */
  peek(request: PeekRequest): Promise<PeekedEvents & { readonly start: string; readonly end: string }> {
    return this.#awake(() => this.#peekAwake(request));
  }

  async #peekAwake(request: PeekRequest): Promise<PeekedEvents & { readonly start: string; readonly end: string }> {
    const { views } = this.#options;
    await assertPeekable(this.#db, request.userId, request.roomId);
    await views.catchUp(1000);
    const since = (await this.parseSince(request.since)) ?? (await this.#currentToken(undefined));
    if (!covers(views.currentToken(), since)) await views.waitFor(since, this.#options.sinceWaitMs ?? 2000);
    const deadline = Date.now() + Math.min(request.timeoutMs, this.#options.maxTimeoutMs ?? 300_000);
    for (;;) {
      const seq = views.notifier.seq;
      const upTo = await this.#currentToken(since);
      const finished = Date.now() >= deadline || request.signal?.aborted === true;
      if (finished || !sameToken(since, upTo)) {
        const encodePrevBatch = (position: number) => encodeSyncToken(withStream(upTo, 'events', VectorPosition.of(position)), this.#options.writerIds);
        const context = { db: this.#db, caches: this.#caches, formatter: this.#batchedFormatter, now: this.#now(), encodePrevBatch };
        const found = await peekRoomEvents(context, { ...request, since, upTo });
        const ids = this.#options.writerIds;
        if (finished || found.timeline.length + found.ephemeral.length + found.presence.length > 0) return { ...found, start: encodeSyncToken(since, ids), end: encodeSyncToken(upTo, ids) };
      }
      const left = Math.max(0, deadline - Date.now());
      await views.notifier.wait([roomKey(request.roomId)], { afterSeq: seq, timeoutMs: left, signal: request.signal });
    }
  }

  /**
   * device_lists of /sync and /keys/changes, as Synapse reports them. `changed`: users sharing a
   * room with `userId` whose devices changed in the window (the user itself among them, also for
   * a new user-signing key of its own, which only it is told about), plus users who newly joined one of
   * its rooms (the client starts tracking them). `left`: users who left one of its rooms, or were
   * in a room it left, and now share none with it (the client stops tracking them); someone who
   * joined and left within the window is only in `left`.
   */
  async deviceListChanges(userId: string, since: SyncToken, upTo: SyncToken, sharing?: string[]): Promise<{ changed: string[]; left: string[] }> {
    const db = this.#db;
    const users = sharing ?? (await usersSharingRooms(db, userId));
    const changed = new Set(await usersWithDeviceChanges(db, users, sqlWindow(since.device_lists, upTo.device_lists), userId));
    const rooms = await joinedRoomIds(db, userId);
    const events = sqlWindow(since.events, upTo.events);
    for (const joined of await usersJoinedBetween(db, rooms, events)) if (joined !== userId) changed.add(joined);
    const gone = new Set<string>();
    for (const leave of await usersLeftBetween(db, rooms, events)) {
      if (inWindow(leave.streamOrdering, leave.instanceName, since.events, upTo.events)) gone.add(leave.userId);
    }
    for (const own of await membershipChanges(db, userId, events)) {
      if ((own.membership === 'leave' || own.membership === 'ban') && inWindow(own.streamOrdering, own.instanceName, since.events, upTo.events)) {
        for (const member of await joinedMembers(db, own.roomId)) gone.add(member);
      }
    }
    const stillSharing = new Set(users);
    const left = [...gone].filter((other) => other !== userId && !stillSharing.has(other)).sort();
    for (const other of left) changed.delete(other);
    return { changed: [...changed].sort(), left };
  }

  /**
   * To-device messages for the answer, and `upTo` with its to_device position lowered to the
   * last one sent when the limit cut them. What a later since acknowledges is gone for good:
   * once deleted up to `since`, a window in which the stream did not move holds nothing more.
   */
  async #toDeviceMessages(userId: string, deviceId: string, since: SyncToken | undefined, upTo: SyncToken): Promise<{ messages: Awaited<ReturnType<typeof toDeviceForDevice>>; upTo: SyncToken }> {
    const sentKey = `${userId} ${deviceId}`;
    const deleted = this.#toDeviceDeleted.get(sentKey);
    if (since && deleted !== undefined && deleted >= since.to_device.max && since.to_device.covers(upTo.to_device)) return { messages: [], upTo };
    const limit = this.#options.toDeviceLimit ?? 100;
    if (since) {
      await deleteToDevice(this.#db, userId, deviceId, since.to_device.max);
      remember(this.#toDeviceDeleted, sentKey, since.to_device.max, 10_000);
    }
    const messages = (await toDeviceForDevice(this.#db, userId, deviceId, { ceiling: upTo.to_device.max, limit })).filter((m) => m.position <= upTo.to_device.get(m.instanceName));
    return { messages, upTo: messages.length === limit ? withStream(upTo, 'to_device', VectorPosition.of(messages.at(-1)!.position)) : upTo };
  }

  /**
   * The timeline pages of the rooms the view saw new events in, asked for beside the overview
   * rather than after it (a woken long-poll's round trip less): the rooms section then finds
   * them in flight or cached under the same key. Only a guess from the rows this process read
   * (none when the window reaches back past them, or the user's own membership moved in it).
   */
  #startTimelinePages(userId: string, filter: SyncFilter, since: SyncToken, upTo: SyncToken): void {
    const { views } = this.#options;
    const seen = views.eventsIn(since.events, upTo.events);
    const joined = views.knownJoinedRooms(userId);
    if (!seen || !joined || seen.members.has(userId)) return;
    for (const roomId of joined) {
      if (seen.rooms.has(roomId) && roomMatches(filter.room, roomId)) started(this.#caches.timelinePage(sharedTimelineWindow(roomId, filter, since.events, upTo.events)));
    }
  }

  async #compute(request: SyncRequest, since: SyncToken | undefined, upToIn: SyncToken): Promise<{ body: Record<string, unknown>; empty: boolean }> {
    const { userId, deviceId, filter } = request;
    const db = this.#db;
    const now = this.#now();
    const from = since ?? ZERO_TOKEN;
    let upTo = upToIn;

    // An incremental sync (mostly a woken long-poll) skips the streams that did not move in
    // its window; an initial or full_state sync reads everything.
    const incremental = since !== undefined && !request.fullState;
    const sentKey = `${userId} ${deviceId}`;

    // The reads that need nothing from the rooms section go out at once and overlap with it
    // (each is one round trip less on the answer's path; an initial sync has several).
    const toDevice = started(this.#toDeviceMessages(userId, deviceId, since, upTo));
    const accountDataRead = started(
      this.#options.accountData && !(since && quiet(since.account_data, upTo.account_data))
        ? this.#options.accountData.changes(userId, since?.account_data, upTo.account_data)
        : Promise.resolve(NO_ACCOUNT_DATA),
    );
    const roomsQuiet = incremental && (['events', 'typing', 'receipts', 'account_data'] as const).every((name) => quiet(since[name], upTo[name]));
    // Memberships, room activity, unread counts and key counts in one statement (sync-window.ts).
    const overviewRead = started(since && !roomsQuiet ? this.#overview({ userId, deviceId, upTo: upTo.events.max, window: sqlWindow(since.events, upTo.events) }) : Promise.resolve(undefined));
    if (incremental && !roomsQuiet) this.#startTimelinePages(userId, filter, since, upTo);
    // Without an overview, the device's key counts on their own.
    const keysRead = started(since && !roomsQuiet ? Promise.resolve(undefined) : deviceKeyStatus(db, userId, deviceId));
    // Presence of users sharing a room, changed in the window (the user's own too, as Synapse sends it).
    const wantPresence = eventMatches(filter.presence, { type: 'm.presence' }) && !quiet(from.presence, upTo.presence);
    const presenceRead = started(
      (async () => {
        if (!wantPresence) return { sharing: undefined, presence: [] as Record<string, unknown>[] };
        const sharing = await usersSharingRooms(db, userId);
        const rows = await presenceForUsers(db, sharing.includes(userId) ? sharing : [...sharing, userId], sqlWindow(from.presence, upTo.presence));
        const presence = rows
          .filter((p) => inWindow(p.position, p.instanceName, from.presence, upTo.presence))
          .filter((p) => eventMatches(filter.presence, { type: 'm.presence', sender: p.userId }))
          .map((p) => presenceEvent(p, now));
        return { sharing, presence };
      })(),
    );

    const [{ messages, upTo: toDeviceUpTo }, accountData] = await Promise.all([toDevice, accountDataRead]);
    upTo = toDeviceUpTo;
    if (since === undefined || request.fullState) this.#sentMembers.delete(sentKey);
    let sentMembers = this.#sentMembers.get(sentKey);
    if (!sentMembers) {
      sentMembers = new Set();
      this.#sentMembers.set(sentKey, sentMembers);
      // Bounded memory: forget the oldest device's cache.
      if (this.#sentMembers.size > 10_000) this.#sentMembers.delete(this.#sentMembers.keys().next().value!);
    }
    const overview = await overviewRead;
    const rooms = roomsQuiet ? NO_ROOMS : await buildRooms({
      db,
      userId,
      deviceId,
      filter,
      now,
      since,
      upTo,
      fullState: request.fullState,
      accountData,
      sentMembers,
      encodePrevBatch: (position) => encodeSyncToken(withStream(upTo, 'events', VectorPosition.of(position)), this.#options.writerIds),
      caches: this.#caches,
      overview,
      formatter: this.#batchedFormatter,
      ignored: await this.#ignoredUsers(db, userId, accountData, since === undefined),
    });
    const { sharing, presence } = await presenceRead;

    // Users newly sharing a room (joins in the window) come with their current presence.
    if (incremental && !rooms.membershipQuiet && eventMatches(filter.presence, { type: 'm.presence' })) {
      const sent = new Set(presence.map((p) => p['sender'] as string));
      const newcomers = await newcomerPresence(db, userId, { since: since.events, upTo: upTo.events, presenceUpTo: upTo.presence }, sent, now);
      presence.push(...newcomers.filter((p) => eventMatches(filter.presence, { type: 'm.presence', sender: p['sender'] as string })));
    }

    // Device lists move by key changes or by membership; when neither moved, nothing to ask.
    const deviceListsQuiet = incremental && rooms.membershipQuiet && quiet(since.device_lists, upTo.device_lists);
    const deviceLists = since && !deviceListsQuiet ? await this.deviceListChanges(userId, since, upTo, sharing) : { changed: [], left: [] };
    const keys = overview?.keys ?? (await keysRead) ?? (await deviceKeyStatus(db, userId, deviceId));
    const global = accountData.global.filter((item) => eventMatches(filter.accountData, { type: item.type }));
    const body: Record<string, unknown> = {
      next_batch: encodeSyncToken(upTo, this.#options.writerIds),
      rooms: rooms.body,
      presence: { events: presence },
      account_data: { events: global.map((item) => ({ type: item.type, content: item.content })) },
      to_device: { events: messages.map((m) => ({ sender: m.sender, type: m.type, content: m.content })) },
      device_lists: deviceLists,
      device_one_time_keys_count: { signed_curve25519: 0, ...keys.oneTimeKeyCounts },
      device_unused_fallback_key_types: keys.unusedFallbackKeyTypes,
    };
    const empty = !rooms.changed && presence.length === 0 && global.length === 0 && messages.length === 0 && deviceLists.changed.length === 0 && deviceLists.left.length === 0;
    return { body, empty };
  }
}

/** The users of an m.ignored_user_list content (spec: "Ignoring users"). */
function ignoredIn(content: unknown): ReadonlySet<string> {
  const users = (content as { ignored_users?: unknown } | undefined)?.ignored_users;
  return new Set(typeof users === 'object' && users !== null && !Array.isArray(users) ? Object.keys(users) : []);
}
