// /sync: builds the response for a `since` token up to this process's current token and, when
// there is nothing new, long-polls on the notifier (keys: the user and their rooms) until a
// stream advance concerns them or the timeout passes. Behaviour follows Synapse's SyncHandler.
import { invalidParam } from '@homeserver/http';
import {
  countOneTimeKeys,
  deleteToDevice,
  getRoom,
  joinedMembers,
  joinedRoomIds,
  membershipChanges,
  presenceForUsers,
  toDeviceForDevice,
  unusedFallbackKeyTypes,
  usersJoinedBetween,
  usersLeftBetween,
  usersSharingRooms,
  usersWithDeviceChanges,
  type Database,
} from '@homeserver/storage';
import { InvalidStreamTokenError, VectorPosition, type WriterIds } from '@homeserver/streams';
import { NO_ACCOUNT_DATA, type AccountDataSource } from './account-data-source.ts';
import { roomKey, userKey } from './notifier.ts';
import { buildRooms } from './rooms-section.ts';
import { eventMatches } from '@homeserver/services';
import type { SyncFilter } from './sync-filter.ts';
import { decodeSyncToken, encodeSyncToken, inWindow, sqlWindow, withStream, ZERO_TOKEN, type SyncToken } from './sync-token.ts';
import type { SyncViews } from './sync-views.ts';

export interface SyncServiceOptions {
  readonly db: Database;
  readonly views: SyncViews;
  readonly writerIds: WriterIds;
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

function sameToken(a: SyncToken, b: SyncToken): boolean {
  return (Object.keys(a) as Array<keyof SyncToken>).every((name) => a[name].equals(b[name]));
}

export class SyncService {
  #options: SyncServiceOptions;
  #db: Database;
  /** Member events sent per (user, device, room), for lazy-loading without redundancy. */
  #sentMembers = new Map<string, Set<string>>();

  constructor(options: SyncServiceOptions) {
    this.#options = options;
    this.#db = options.db;
  }

  #now(): number {
    return (this.#options.now ?? Date.now)();
  }

  parseSince(text: string | undefined): SyncToken | undefined {
    if (text === undefined) return undefined;
    try {
      return decodeSyncToken(text, this.#options.writerIds);
    } catch (error) {
      if (error instanceof InvalidStreamTokenError) throw invalidParam(`cannot use since token ${JSON.stringify(text)}: ${error.message}`);
      throw error;
    }
  }

  async sync(request: SyncRequest): Promise<Record<string, unknown>> {
    const since = this.parseSince(request.since);
    const { views } = this.#options;
    await views.catchUpEvents(1000);
    const deadline = Date.now() + Math.min(request.timeoutMs, this.#options.maxTimeoutMs ?? 300_000);
    for (;;) {
      const seq = views.notifier.seq;
      const upTo = views.currentToken();
      const { body, empty } = await this.#compute(request, since, upTo);
      const remaining = deadline - Date.now();
      if (since === undefined || request.fullState || !empty || remaining <= 0 || request.signal?.aborted) return body;
      const rooms = await joinedRoomIds(this.#db, request.userId);
      const keys = [userKey(request.userId), ...rooms.map(roomKey)];
      let afterSeq = seq;
      for (;;) {
        const left = deadline - Date.now();
        if (left <= 0) return body;
        const outcome = await views.notifier.wait(keys, { afterSeq, timeoutMs: left, signal: request.signal });
        if (outcome === 'timeout' || request.signal?.aborted) return body;
        // A late notification for rows the answer already covered: nothing to recompute.
        if (!sameToken(views.currentToken(), upTo)) break;
        afterSeq = views.notifier.seq;
      }
    }
  }

  /**
   * device_lists of /sync and /keys/changes, as Synapse reports them. `changed`: users sharing a
   * room with `userId` whose devices changed in the window, plus users who newly joined one of
   * its rooms (the client starts tracking them). `left`: users who left one of its rooms, or were
   * in a room it left, and now share none with it (the client stops tracking them); someone who
   * joined and left within the window is only in `left`.
   */
  async deviceListChanges(userId: string, since: SyncToken, upTo: SyncToken, sharing?: string[]): Promise<{ changed: string[]; left: string[] }> {
    const db = this.#db;
    const users = sharing ?? (await usersSharingRooms(db, userId));
    const changed = new Set(await usersWithDeviceChanges(db, users, sqlWindow(since.device_lists, upTo.device_lists)));
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

  async #compute(request: SyncRequest, since: SyncToken | undefined, upToIn: SyncToken): Promise<{ body: Record<string, unknown>; empty: boolean }> {
    const { userId, deviceId, filter } = request;
    const db = this.#db;
    const now = this.#now();
    const from = since ?? ZERO_TOKEN;
    let upTo = upToIn;

    // To-device: what a later since acknowledges is gone for good.
    if (since) await deleteToDevice(db, userId, deviceId, since.to_device.max);
    const limit = this.#options.toDeviceLimit ?? 100;
    const messages = (await toDeviceForDevice(db, userId, deviceId, { ceiling: upTo.to_device.max, limit })).filter(
      (m) => m.position <= upTo.to_device.get(m.instanceName),
    );
    if (messages.length === limit) upTo = withStream(upTo, 'to_device', VectorPosition.of(messages.at(-1)!.position));

    const accountData = this.#options.accountData ? await this.#options.accountData.changes(userId, since?.account_data, upTo.account_data) : NO_ACCOUNT_DATA;

    const sentKey = `${userId} ${deviceId}`;
    if (since === undefined || request.fullState) this.#sentMembers.delete(sentKey);
    let sentMembers = this.#sentMembers.get(sentKey);
    if (!sentMembers) {
      sentMembers = new Set();
      this.#sentMembers.set(sentKey, sentMembers);
      // Bounded memory: forget the oldest device's cache.
      if (this.#sentMembers.size > 10_000) this.#sentMembers.delete(this.#sentMembers.keys().next().value!);
    }
    const rooms = await buildRooms({
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
      roomVersionOf: async (roomId) => (await getRoom(db, roomId))?.roomVersion ?? '10',
    });

    // Presence of users sharing a room, changed in the window.
    const sharing = await usersSharingRooms(db, userId);
    const presence = eventMatches(filter.presence, { type: 'm.presence' })
      ? (await presenceForUsers(db, sharing, sqlWindow(from.presence, upTo.presence)))
          .filter((p) => inWindow(p.position, p.instanceName, from.presence, upTo.presence))
          .filter((p) => eventMatches(filter.presence, { type: 'm.presence', sender: p.userId }))
          .map((p) => ({
            type: 'm.presence',
            sender: p.userId,
            content: {
              presence: p.state,
              last_active_ago: Math.max(0, now - p.lastActiveTs),
              currently_active: p.currentlyActive,
              ...(p.statusMsg !== undefined ? { status_msg: p.statusMsg } : {}),
            },
          }))
      : [];

    const deviceLists = since ? await this.deviceListChanges(userId, since, upTo, sharing) : { changed: [], left: [] };
    const global = accountData.global.filter((item) => eventMatches(filter.accountData, { type: item.type }));
    const body: Record<string, unknown> = {
      next_batch: encodeSyncToken(upTo, this.#options.writerIds),
      rooms: rooms.body,
      presence: { events: presence },
      account_data: { events: global.map((item) => ({ type: item.type, content: item.content })) },
      to_device: { events: messages.map((m) => ({ sender: m.sender, type: m.type, content: m.content })) },
      device_lists: deviceLists,
      device_one_time_keys_count: { signed_curve25519: 0, ...(await countOneTimeKeys(db, userId, deviceId)) },
      device_unused_fallback_key_types: await unusedFallbackKeyTypes(db, userId, deviceId),
    };
    const empty = !rooms.changed && presence.length === 0 && global.length === 0 && messages.length === 0 && deviceLists.changed.length === 0 && deviceLists.left.length === 0;
    return { body, empty };
  }
}
