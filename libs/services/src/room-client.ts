// Typed client of the room persister actors: every write to a room goes through here. Replies
// carry the `events` stream position the write reached, for read-your-writes.
import { ActorCrashedError, type ActorSystem, type AskOptions } from '@homeserver/actors';
import type { JsonObject } from '@homeserver/matrix';
import { getCurrentStateEvent, getRoom, getRoomsForUser, type Queryable } from '@homeserver/storage';
import {
  ROOM_ACTOR_KIND,
  type CommitReply,
  type CreateRoomSpec,
  type EventTemplate,
  type RoomFailure,
  type StageReply,
} from './room-protocol.ts';

export type SendResult = { readonly ok: true; readonly eventId: string; readonly position: number } | RoomFailure;
export type SendManyResult = { readonly ok: true; readonly eventIds: readonly string[]; readonly position: number } | RoomFailure;

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

export class RoomClient {
  #actors: ActorSystem;
  #db: Queryable;
  #ask: AskOptions;
  /** Rooms seen to exist (only an admin purge deletes one: forgetRoom), so sends skip the lookup. */
  #knownRooms = new Set<string>();

  constructor(actors: ActorSystem, db: Queryable, options: RoomClientOptions = {}) {
    this.#actors = actors;
    this.#db = db;
    this.#ask = { timeoutMs: options.timeoutMs ?? 30_000 };
  }

  /** Drops a purged room from the rooms known to exist, so later sends to it answer 404. */
  forgetRoom(roomId: string): void {
    this.#knownRooms.delete(roomId);
  }

  /** Creates `roomId` from a finished create PDU, then persists `events` in the same batch. */
  async createRoom(roomId: string, spec: CreateRoomSpec & { readonly events: readonly EventTemplate[] }): Promise<SendManyResult> {
    const { events, ...create } = spec;
    return this.#stageAndCommit(roomId, { events, create });
  }

  /** Builds, authorizes and persists one event; idempotent per (sender, deviceId, txnId). */
  async sendEvent(roomId: string, template: EventTemplate): Promise<SendResult> {
    const result = await this.#stageAndCommit(roomId, { events: [template] });
    return result.ok ? { ok: true, eventId: result.eventIds[0]!, position: result.position } : result;
  }

  /** Several events, all or nothing, in one batch. */
  async sendEvents(roomId: string, templates: readonly EventTemplate[]): Promise<SendManyResult> {
    return this.#stageAndCommit(roomId, { events: templates });
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

  async #stageAndCommit(roomId: string, request: { events: readonly EventTemplate[]; create?: CreateRoomSpec }): Promise<SendManyResult> {
    const address = { kind: ROOM_ACTOR_KIND, key: roomId };
    // Unknown rooms are answered here, so stray IDs never activate (and keep) an actor.
    if (!request.create && !this.#knownRooms.has(roomId)) {
      if (!(await getRoom(this.#db, roomId))) return { ok: false, errcode: 'M_NOT_FOUND', error: `room ${roomId} is not known to this server`, status: 404 };
      if (this.#knownRooms.size >= 100_000) this.#knownRooms.clear();
      this.#knownRooms.add(roomId);
    }
    let staged: StageReply;
    try {
      staged = (await this.#actors.ask(address, 'stage', request, this.#ask)).value as StageReply;
    } catch (error) {
      // A crashed stage persisted nothing and the actor is rebuilt from the database on the
      // next message (e.g. after a failed commit of an earlier batch): try once more.
      if (!(error instanceof ActorCrashedError)) throw error;
      staged = (await this.#actors.ask(address, 'stage', request, this.#ask)).value as StageReply;
    }
    if (!staged.ok) return staged;
    const eventIds = staged.events.map((e) => e.eventId);
    const known = Math.max(0, ...staged.events.map((e) => e.position ?? 0));
    if (staged.ticket === undefined) return { ok: true, eventIds, position: known };
    const committed = (await this.#actors.ask(address, 'commit', { ticket: staged.ticket }, this.#ask)).value as CommitReply;
    if (!committed.ok) return committed;
    return { ok: true, eventIds, position: Math.max(known, committed.position) };
  }
}
