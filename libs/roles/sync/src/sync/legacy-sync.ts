// The pre-/sync client API that bridges and old clients still call, rendered from /sync answers
// so that both see the same events, visibility and tokens: GET /initialSync (every room with its
// recent messages and current state), GET /rooms/{roomId}/initialSync (one room), and the
// GET /events stream (everything new since a token, flattened with room_id on each event).
// Shapes follow Synapse's InitialSyncHandler and EventStreamHandler.
import { forbidden } from '@homeserver/http';
import { EventFormatter, historyVisibilityChanges, parseFilter, visibleEvents } from '@homeserver/services';
import { getCurrentState, getCurrentStateEvent, getEvents, getLatestEventStreamPosition, getRoom, getRoomEvents, type Database } from '@homeserver/storage';
import type { SyncService } from './sync-service.ts';

type Json = Record<string, unknown>;

export interface LegacyRequester {
  readonly userId: string;
  readonly deviceId: string;
}

interface SyncRoom {
  readonly timeline?: { readonly events?: Json[]; readonly prev_batch?: string };
  readonly state?: { readonly events?: Json[] };
  readonly ephemeral?: { readonly events?: Json[] };
  readonly account_data?: { readonly events?: Json[] };
}

interface SyncBody {
  readonly next_batch: string;
  readonly rooms: Record<'join' | 'invite' | 'leave' | 'knock', Record<string, SyncRoom>>;
  readonly presence: { readonly events: Json[] };
  readonly account_data: { readonly events: Json[] };
}

/** Most events a legacy stream answer carries per room. */
const STREAM_ROOM_LIMIT = 100;

/**
 * Events in the v1 client format these endpoints always used (Synapse's format_event_for_client_v1):
 * room_id on each, and the sender repeated as `user_id`.
 */
function inRoom(events: readonly Json[] | undefined, roomId: string): Json[] {
  return (events ?? []).map((event) => ({ ...event, room_id: roomId, ...(typeof event['sender'] === 'string' ? { user_id: event['sender'] } : {}) }));
}

/** Presence in the v1 format: the user inside content, and status_msg always present. */
function v1Presence(events: readonly Json[]): Json[] {
  return events.map((event) => ({ ...event, content: { status_msg: null, ...(event['content'] as Json | undefined), user_id: event['sender'] } }));
}

/** The room's state at the end of the timeline: the state before it, then its state events. */
function currentState(room: SyncRoom): Json[] {
  const byKey = new Map<string, Json>();
  for (const event of [...(room.state?.events ?? []), ...(room.timeline?.events ?? [])]) {
    if (typeof event['state_key'] === 'string') byKey.set(`${String(event['type'])}\u0000${event['state_key']}`, event);
  }
  return [...byKey.values()];
}

interface SnapshotOptions {
  readonly end: string;
  /** Directory visibility of the room. */
  readonly isPublic: boolean;
  /** false for `limit=0`: state only. */
  readonly withMessages: boolean;
}

function roomSnapshot(roomId: string, membership: string, room: SyncRoom, options: SnapshotOptions): Json {
  const ephemeral = room.ephemeral?.events ?? [];
  return {
    room_id: roomId,
    membership,
    messages: { chunk: options.withMessages ? inRoom(room.timeline?.events, roomId) : [], start: room.timeline?.prev_batch ?? options.end, end: options.end },
    state: inRoom(currentState(room), roomId),
    account_data: room.account_data?.events ?? [],
    receipts: inRoom(ephemeral.filter((e) => e['type'] === 'm.receipt'), roomId),
    visibility: options.isPublic ? 'public' : 'private',
  };
}

/** The timeline filter for a `limit` (0 reads one event, for its state, and shows none). */
function timelineFilter(limit: number | undefined): Json {
  return limit === undefined ? {} : { limit: Math.max(1, limit) };
}

export interface InitialSyncOptions {
  /** Messages per room. Default: 10 (as /sync). */
  readonly limit?: number;
  /** Include rooms the user left. Default: false. */
  readonly archived?: boolean;
}

export interface StreamOptions {
  /** A token of an earlier answer's `end`. Default: now. */
  readonly from?: string;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  /** Events per room. Default: 100. */
  readonly limit?: number;
}

export class LegacySync {
  readonly #sync: SyncService;
  readonly #db: Database;
  readonly #formatter: EventFormatter;

  constructor(sync: SyncService, db: Database, now: () => number = Date.now) {
    this.#sync = sync;
    this.#db = db;
    this.#formatter = new EventFormatter(db, { now });
  }

  async #isPublic(roomId: string): Promise<boolean> {
    return (await getRoom(this.#db, roomId))?.isPublic === true;
  }

  /** An invited room: the invite event itself (the /sync section carries it stripped). */
  async #inviteEntry(roomId: string, userId: string): Promise<Json> {
    const invite = await getCurrentStateEvent(this.#db, roomId, { type: 'm.room.member', stateKey: userId });
    if (!invite) return { room_id: roomId, membership: 'invite' };
    return { room_id: roomId, membership: 'invite', invite: { ...(await this.#formatter.formatOne(invite, { aggregate: false })), user_id: invite.sender }, inviter: invite.sender };
  }

  async #snapshot(requester: LegacyRequester, filter: Json): Promise<SyncBody> {
    const body = await this.#sync.sync({ userId: requester.userId, deviceId: requester.deviceId, since: undefined, filter: parseFilter(filter), fullState: false, timeoutMs: 0 });
    return body as unknown as SyncBody;
  }

  /** GET /initialSync. */
  async initialSync(requester: LegacyRequester, options: InitialSyncOptions = {}): Promise<Json> {
    const body = await this.#snapshot(requester, { room: { include_leave: options.archived === true, timeline: timelineFilter(options.limit) } });
    const rooms: Json[] = [];
    const snapshot = async (roomId: string, membership: string, room: SyncRoom) =>
      roomSnapshot(roomId, membership, room, { end: body.next_batch, isPublic: await this.#isPublic(roomId), withMessages: options.limit !== 0 });
    for (const [roomId, room] of Object.entries(body.rooms.join)) rooms.push(await snapshot(roomId, 'join', room));
    for (const roomId of Object.keys(body.rooms.invite)) rooms.push(await this.#inviteEntry(roomId, requester.userId));
    if (options.archived) for (const [roomId, room] of Object.entries(body.rooms.leave)) rooms.push(await snapshot(roomId, 'leave', room));
    return {
      end: body.next_batch,
      rooms,
      presence: v1Presence(body.presence.events),
      // Push rules have their own API; Synapse's initialSync lists only stored account data.
      account_data: body.account_data.events.filter((event) => event['type'] !== 'm.push_rules'),
      receipts: rooms.flatMap((room) => (room['receipts'] as Json[] | undefined) ?? []),
    };
  }

  /** GET /rooms/{roomId}/initialSync: a room the user is in or has left. */
  async roomInitialSync(requester: LegacyRequester, roomId: string, options: { limit?: number } = {}): Promise<Json> {
    const body = await this.#snapshot(requester, { room: { rooms: [roomId], include_leave: true, timeline: timelineFilter(options.limit) } });
    const joined = body.rooms.join[roomId];
    const left = body.rooms.leave[roomId];
    const room = joined ?? left;
    if (!room) return this.#peek(roomId, body.next_batch, options.limit ?? 10, requester.userId);
    const snapshot = roomSnapshot(roomId, joined ? 'join' : 'leave', room, { end: body.next_batch, isPublic: await this.#isPublic(roomId), withMessages: options.limit !== 0 });
    const members = (snapshot['state'] as Json[]).filter((e) => e['type'] === 'm.room.member' && (e['content'] as Json | undefined)?.['membership'] === 'join').map((e) => String(e['state_key']));
    // Every member's presence, offline for those who never set any (Synapse's default state);
    // none for a room the user left.
    const known = new Map(body.presence.events.map((p) => [p['sender'], p]));
    const presence = joined ? members.map((userId) => known.get(userId) ?? { type: 'm.presence', sender: userId, content: { presence: 'offline' } }) : [];
    return { ...snapshot, presence: v1Presence(presence) };
  }

  /**
   * A room the user never was in: readable only when its history is world_readable (Synapse's
   * peek), with the current state and the latest messages; otherwise 403.
   */
  async #peek(roomId: string, end: string, limit: number, userId: string): Promise<Json> {
    const visibility = await getCurrentStateEvent(this.#db, roomId, { type: 'm.room.history_visibility', stateKey: '' });
    if ((visibility?.pdu['content'] as Json | undefined)?.['history_visibility'] !== 'world_readable') {
      throw forbidden(`user ${userId} is not in room ${roomId} and its history is not world_readable`);
    }
    const state = await getCurrentState(this.#db, roomId);
    const page = limit === 0 ? undefined : await getRoomEvents(this.#db, roomId, { from: await getLatestEventStreamPosition(this.#db), direction: 'b', limit });
    // Only what was world_readable when sent (a peeker has no membership to see more by).
    const changes = await historyVisibilityChanges(this.#db, roomId);
    const messages = visibleEvents((page?.events ?? []).reverse(), { userId, history: [], changes });
    const format = { aggregate: false } as const;
    return {
      // No membership: the user has none (the spec's field is optional).
      room_id: roomId,
      messages: { chunk: inRoom(await this.#formatter.format(messages, format), roomId), start: end, end },
      state: inRoom(await this.#formatter.format(state, format), roomId),
      account_data: [],
      receipts: [],
      presence: [],
      visibility: (await this.#isPublic(roomId)) ? 'public' : 'private',
    };
  }

  /**
   * GET /events: what is new for the user since `from` (now when absent), waiting up to
   * `timeoutMs` for something to arrive; `end` is the token to continue from.
   */
  async events(requester: LegacyRequester, options: StreamOptions): Promise<Json> {
    const from = options.from ?? (await this.#sync.currentSince());
    const body = (await this.#sync.sync({
      userId: requester.userId,
      deviceId: requester.deviceId,
      since: from,
      filter: parseFilter({ room: { include_leave: true, timeline: { limit: STREAM_ROOM_LIMIT } } }),
      fullState: false,
      timeoutMs: options.timeoutMs,
      signal: options.signal,
    })) as unknown as SyncBody;
    const timelines = [...Object.entries(body.rooms.join), ...Object.entries(body.rooms.leave)].map(([roomId, room]) => inRoom(room.timeline?.events, roomId));
    const { events, end } = await this.#oldestFirst(timelines.flat(), options.limit, from, body.next_batch);
    const chunk: Json[] = [...events];
    for (const [roomId, room] of Object.entries(body.rooms.join)) chunk.push(...inRoom(room.ephemeral?.events, roomId), ...inRoom(room.account_data?.events, roomId));
    for (const roomId of Object.keys(body.rooms.invite)) {
      const entry = await this.#inviteEntry(roomId, requester.userId);
      if (entry['invite']) chunk.push(entry['invite'] as Json);
    }
    chunk.push(...v1Presence(body.presence.events), ...body.account_data.events);
    return { chunk, start: from, end };
  }

  /**
   * The stream's room events in order; with `limit`, only the oldest `limit` of them, and an `end`
   * whose events position stops at the last one given (the rest come with the next request, as
   * Synapse's stream pages forward).
   */
  async #oldestFirst(events: Json[], limit: number | undefined, from: string, next: string): Promise<{ events: Json[]; end: string }> {
    const stored = await getEvents(this.#db, events.map((e) => String(e['event_id'])));
    const position = (e: Json) => stored.get(String(e['event_id']))?.streamOrdering ?? 0;
    const ordered = [...events].sort((a, b) => position(a) - position(b));
    if (limit === undefined || ordered.length <= Math.max(1, limit)) return { events: ordered, end: next };
    const kept = ordered.slice(0, Math.max(1, limit));
    const start = await this.#sync.parseSince(from);
    let upTo = start!.events;
    for (const event of kept) {
      const row = stored.get(String(event['event_id']));
      if (row) upTo = upTo.advance(row.instanceName, row.streamOrdering);
    }
    return { events: kept, end: this.#sync.encodeToken({ ...(await this.#sync.parseSince(next))!, events: upTo }) };
  }

  /**
   * GET /events?room_id=: the stream of one room (its events, typing, receipts and its members'
   * presence), for a member or a peeker of a world_readable room (403 otherwise), as Synapse.
   */
  async roomEvents(requester: LegacyRequester, roomId: string, options: StreamOptions): Promise<Json> {
    const answer = await this.#sync.peek({
      userId: requester.userId,
      deviceId: requester.deviceId,
      roomId,
      since: options.from,
      filter: parseFilter({ room: { timeline: { limit: Math.max(1, options.limit ?? STREAM_ROOM_LIMIT) } } }),
      timeoutMs: options.timeoutMs,
      signal: options.signal,
    });
    const chunk = [...inRoom(answer.timeline, roomId), ...inRoom(answer.ephemeral, roomId), ...v1Presence(answer.presence)];
    return { chunk, start: answer.start, end: answer.end };
  }
}
