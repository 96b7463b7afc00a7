// Typed client of the room persister actors: every write to a room goes through here. Replies
// carry the `events` stream position the write reached, for read-your-writes.
import { ActorCrashedError, type ActorSystem, type AskOptions } from '@homeserver/actors';
import type { JsonObject } from '@homeserver/matrix';
import { BatchedLookup, getCurrentStateEvent, getRoom, getRoomsForUser, getTxnEvents, txnKeyString, type Queryable, type TxnKey } from '@homeserver/storage';
import {
  roomFailure,
  ROOM_ACTOR_KIND,
  type CreateLocalEventsReply,
  type CreateRoomSpec,
  type EventTemplate,
  type IngestReply,
  type IngestRequest,
  type JoinRemoteRoomReply,
  type JoinRemoteRoomRequest,
  type ReceiveInviteRequest,
  type RemoteLeaveRequest,
  type PurgeHistoryReply,
  type PurgeHistoryRequest,
  type RoomFailure,
  type RoomRequester,
} from './room-protocol.ts';

export type SendResult = { readonly ok: true; readonly eventId: string; readonly position: number; readonly writer: string } | RoomFailure;
export type SendManyResult = { readonly ok: true; readonly eventIds: readonly string[]; readonly position: number; readonly writer: string } | RoomFailure;

export interface RoomClientOptions {
  /** Per-ask timeout. Default: 30000 ms (a group commit of a busy room may queue). */
  readonly timeoutMs?: number;
}

export interface ProfileChange {
  /** New display name; null removes it; undefined keeps the current one. */
  readonly displayname?: string | null;
  /** New avatar URL; null removes it; undefined keeps the current one. */
  readonly avatar_url?: string | null;
}

const JOIN_TIMEOUT_MS = 120_000;

export class RoomClient {
  #actors: ActorSystem;
  #db: Queryable;
  #options: AskOptions;
  /** Rooms seen to exist (only an admin purge deletes one: forgetRoom), so sends skip the lookup. */
  #knownRooms = new Set<string>();
  /** Transaction IDs of sends arriving together are looked up in one statement. */
  #txns: BatchedLookup<TxnKey, { eventId: string; position: number; writer: string }>;

  constructor(actors: ActorSystem, db: Queryable, options: RoomClientOptions = {}) {
    this.#actors = actors;
    this.#db = db;
    this.#txns = new BatchedLookup((keys) => getTxnEvents(db, keys), txnKeyString);
    this.#options = { timeoutMs: options.timeoutMs ?? 30_000 };
  }

  /** Drops a purged room from the rooms known to exist, so later sends to it answer 404. */
  forgetRoom(roomId: string): void {
    this.#knownRooms.delete(roomId);
  }

  /** Creates `roomId` from a finished create PDU, then persists `events` in the same transaction. */
  async createRoom(roomId: string, spec: CreateRoomSpec & { readonly events: readonly EventTemplate[] }, requester: RoomRequester = { userId: spec.creator }): Promise<SendManyResult> {
    const { events, ...create } = spec;
    return this.#createLocal(roomId, { templates: events, requester, create });
  }

  /** Builds, authorizes and persists one event of `requester`; idempotent per (sender, deviceId, txnId). */
  async createLocalEvent(roomId: string, template: EventTemplate, requester: RoomRequester): Promise<SendResult> {
    const result = await this.#createLocal(roomId, { templates: [template], requester });
    return result.ok ? { ok: true, eventId: result.eventIds[0]!, position: result.position, writer: result.writer } : result;
  }

  /** Several events of `requester`, all or nothing, in one transaction. */
  async createLocalEvents(roomId: string, templates: readonly EventTemplate[], requester: RoomRequester): Promise<SendManyResult> {
    return this.#createLocal(roomId, { templates, requester });
  }

  /** createLocalEvent for a template whose sender (and device) the caller has authenticated. */
  async sendEvent(roomId: string, template: EventTemplate): Promise<SendResult> {
    return this.createLocalEvent(roomId, template, requesterOfTemplate(template));
  }

  /** createLocalEvents for templates of one authenticated sender. */
  async sendEvents(roomId: string, templates: readonly EventTemplate[]): Promise<SendManyResult> {
    if (templates.length === 0) return roomFailure('BadEvent', 'no events to send');
    return this.createLocalEvents(roomId, templates, requesterOfTemplate(templates[0]!));
  }

  /** Hands the room a PDU built elsewhere (federation, backfill, an auth chain). */
  async ingest(roomId: string, request: IngestRequest): Promise<IngestReply> {
    // Outliers may arrive for a room this server has not joined yet; the actor answers NotFound.
    return (await this.#ask(roomId, 'ingest', request)) as IngestReply;
  }

  /** Persists a room joined through another server (send_join's answer), or a rejoin of one. */
  async joinRemoteRoom(roomId: string, request: JoinRemoteRoomRequest): Promise<JoinRemoteRoomReply> {
    // A large room's state is thousands of signatures to check and rows to write: more time.
    const timeoutMs = Math.max(this.#options.timeoutMs ?? 0, JOIN_TIMEOUT_MS);
    const reply = (await this.#ask(roomId, 'joinRemoteRoom', request, { timeoutMs })) as JoinRemoteRoomReply;
    if (reply.ok) this.#knownRooms.add(roomId);
    return reply;
  }

  /** Stores an invite of a local user from another server, whether or not the room is held here. */
  async receiveInvite(roomId: string, request: ReceiveInviteRequest): Promise<IngestReply> {
    return (await this.#ask(roomId, 'receiveInvite', request)) as IngestReply;
  }

  /** Records our leave of a room not joined here, accepted by a resident server (send_leave). */
  async recordRemoteLeave(roomId: string, request: RemoteLeaveRequest): Promise<IngestReply> {
    return (await this.#ask(roomId, 'recordRemoteLeave', request)) as IngestReply;
  }

  /** Purges the room's history below a depth, through the room's owner (admin purge_history). */
  async purgeHistory(roomId: string, request: PurgeHistoryRequest): Promise<PurgeHistoryReply> {
    if (!(await getRoom(this.#db, roomId))) return roomFailure('NotFound', `room ${roomId} is not known to this server`);
    return (await this.#ask(roomId, 'purgeHistory', request)) as PurgeHistoryReply;
  }

  /** Propagates a profile change into the member event of every room the user is joined to. */
  async onProfileChanged(userId: string, change: ProfileChange): Promise<{ updated: string[]; failed: string[] }> {
    const rooms = await getRoomsForUser(this.#db, userId, { memberships: ['join'] });
    const updated: string[] = [];
    const failed: string[] = [];
    for (const { roomId } of rooms) {
      const current = await getCurrentStateEvent(this.#db, roomId, { type: 'm.room.member', stateKey: userId });
      const content: JsonObject = { ...((current?.pdu['content'] as JsonObject | undefined) ?? {}), membership: 'join' };
      for (const key of ['displayname', 'avatar_url'] as const) {
        const value = change[key];
        if (value === null) delete content[key];
        else if (value !== undefined) content[key] = value;
      }
      const result = await this.sendEvent(roomId, { type: 'm.room.member', stateKey: userId, sender: userId, content });
      (result.ok ? updated : failed).push(roomId);
    }
    return { updated, failed };
  }

  /** Leaves (or rejects invites / withdraws knocks of) every room, e.g. on deactivation. */
  async leaveAllRooms(userId: string): Promise<{ left: string[]; failed: string[] }> {
    const rooms = await getRoomsForUser(this.#db, userId, { memberships: ['join', 'invite', 'knock'] });
    const left: string[] = [];
    const failed: string[] = [];
    for (const { roomId } of rooms) {
      const result = await this.sendEvent(roomId, { type: 'm.room.member', stateKey: userId, sender: userId, content: { membership: 'leave' } });
      (result.ok ? left : failed).push(roomId);
    }
    return { left, failed };
  }

  async #createLocal(roomId: string, request: { templates: readonly EventTemplate[]; requester: RoomRequester; create?: CreateRoomSpec }): Promise<SendManyResult> {
    // Unknown rooms are answered here, so stray IDs never activate (and keep) an actor.
    if (!request.create && !this.#knownRooms.has(roomId)) {
      if (!(await getRoom(this.#db, roomId))) return roomFailure('NotFound', `room ${roomId} is not known to this server`);
      if (this.#knownRooms.size >= 100_000) this.#knownRooms.clear();
      this.#knownRooms.add(roomId);
    }
    // A retried send (PUT /send with a transaction ID) is looked up here, concurrently with
    // other sends: in the room's mailbox the lookup held up every send queued behind it.
    const [only] = request.templates;
    const deviceId = request.requester.deviceId;
    let txnsLookedUp = false;
    if (!request.create && request.templates.length === 1 && only?.txnId !== undefined && deviceId !== undefined) {
      const sent = await this.#txns.load({ roomId, userId: request.requester.userId, deviceId, txnId: only.txnId });
      if (sent && only.sender === request.requester.userId) return { ok: true, eventIds: [sent.eventId], position: sent.position, writer: sent.writer };
      txnsLookedUp = true;
    }
    const reply = (await this.#ask(roomId, 'createLocalEvents', { ...request, txnsLookedUp })) as CreateLocalEventsReply;
    if (!reply.ok) return reply;
    return { ok: true, eventIds: reply.events.map((e) => e.eventId), position: reply.position, writer: reply.writer };
  }

  /** One ask; a crash before anything was queued (e.g. a reload after a failed commit) is retried once. */
  async #ask(roomId: string, method: 'createLocalEvents' | 'ingest' | 'joinRemoteRoom' | 'receiveInvite' | 'recordRemoteLeave' | 'purgeHistory', message: unknown, options: AskOptions = this.#options): Promise<unknown> {
    const address = { kind: ROOM_ACTOR_KIND, key: roomId };
    try {
      return (await this.#actors.ask(address, method, message, options)).value;
    } catch (error) {
      // A crashed actor answers nothing it did not commit (a failed commit fails its callers
      // with a typed Unavailable): asking the re-created actor once more is safe.
      if (!(error instanceof ActorCrashedError)) throw error;
      return (await this.#actors.ask(address, method, message, options)).value;
    }
  }
}

function requesterOfTemplate(template: EventTemplate): RoomRequester {
  return template.deviceId === undefined ? { userId: template.sender } : { userId: template.sender, deviceId: template.deviceId };
}
