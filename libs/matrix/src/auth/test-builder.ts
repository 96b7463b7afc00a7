// Test support (not exported): builds RoomEvents directly, with arbitrary event IDs, so auth
// and state-resolution tests do not depend on PDU parsing or hashing.
import type { JsonObject } from '../json.ts';
import type { RoomEvent, StateKey } from '../room-event.ts';
import { stateKeyOf } from '../room-event.ts';
import type { RoomVersion } from '../room-version.ts';
import { roomVersion } from '../room-version.ts';
import type { AuthState } from './auth-state.ts';
import { authStateFromMap } from './auth-state.ts';
import { selectAuthEvents } from './auth-types.ts';
import { domainOf } from './ids.ts';

export interface EventInput {
  readonly type: string;
  readonly sender: string;
  readonly stateKey?: string;
  readonly content?: JsonObject;
  /** Default: the room's latest event. */
  readonly prev?: readonly string[];
  /** Default: selected from the room's current state. */
  readonly auth?: readonly string[];
  readonly eventId?: string;
  readonly ts?: number;
  readonly depth?: number;
  readonly redacts?: string;
  readonly roomId?: string;
  /** Extra top-level PDU fields, e.g. signatures. */
  readonly pdu?: JsonObject;
}

export const ALICE = '@alice:example.org';
export const BOB = '@bob:example.org';
export const CHARLIE = '@charlie:example.org';
export const EVE = '@eve:evil.example';
export const ZARA = '@zara:other.example';

export class TestRoom {
  readonly version: RoomVersion;
  readonly roomId: string;
  readonly events = new Map<string, RoomEvent>();
  readonly state = new Map<StateKey, string>();
  readonly createEvent: RoomEvent;
  #counter = 0;
  #last: string | undefined;

  constructor(versionId: string, options: { creator?: string; createContent?: JsonObject; roomId?: string } = {}) {
    this.version = roomVersion(versionId);
    const creator = options.creator ?? ALICE;
    const content: JsonObject = { room_version: versionId, ...(options.createContent ?? {}) };
    if (!this.version.implicitRoomCreator && !Object.hasOwn(content, 'creator')) content['creator'] = creator;
    const createId = this.version.roomIdIsCreateEventHash ? '$create' : this.#nextId(creator);
    this.roomId = options.roomId ?? (this.version.roomIdIsCreateEventHash ? '!create' : `!room:${domainOf(creator)}`);
    this.createEvent = this.send({ type: 'm.room.create', sender: creator, stateKey: '', content, eventId: createId, prev: [], auth: [] });
  }

  #nextId(sender: string): string {
    this.#counter += 1;
    return this.version.eventIdFormat === 'server-assigned' ? `$e${this.#counter}:${domainOf(sender)}` : `$e${this.#counter}`;
  }

  /** Builds an event on the current state without recording it. */
  build(input: EventInput): RoomEvent {
    const eventId = input.eventId ?? this.#nextId(input.sender);
    const isCreate = input.type === 'm.room.create';
    const prev = input.prev ?? (this.#last === undefined ? [] : [this.#last]);
    const probe = { type: input.type, stateKey: input.stateKey, sender: input.sender, content: input.content ?? {}, roomVersion: this.version };
    const auth = input.auth ?? (isCreate ? [] : selectAuthEvents(probe, this.state));
    const pdu: JsonObject = {
      type: input.type,
      sender: input.sender,
      content: input.content ?? {},
      signatures: { [domainOf(input.sender)]: { 'ed25519:k': 'sig' } },
      ...(input.pdu ?? {}),
    };
    if (!(isCreate && this.version.roomIdIsCreateEventHash)) pdu['room_id'] = input.roomId ?? this.roomId;
    return {
      eventId,
      roomId: input.roomId ?? this.roomId,
      type: input.type,
      stateKey: input.stateKey,
      sender: input.sender,
      content: input.content ?? {},
      originServerTs: input.ts ?? 1_000 + this.#counter,
      depth: input.depth ?? this.#counter,
      authEventIds: auth,
      prevEventIds: prev,
      redacts: input.redacts,
      roomVersion: this.version,
      pdu,
    };
  }

  /** Builds an event and applies it to the room's state without any auth check. */
  send(input: EventInput): RoomEvent {
    const event = this.build(input);
    this.add(event);
    return event;
  }

  add(event: RoomEvent): void {
    this.events.set(event.eventId, event);
    this.#last = event.eventId;
    if (event.stateKey !== undefined) this.state.set(stateKeyOf(event.type, event.stateKey), event.eventId);
  }

  member(user: string, membership: string, sender: string = user, extra: JsonObject = {}): RoomEvent {
    return this.send({ type: 'm.room.member', sender, stateKey: user, content: { membership, ...extra } });
  }

  authState(): AuthState {
    return authStateFromMap(this.state, (id) => this.events.get(id));
  }

  event(id: string): RoomEvent {
    const event = this.events.get(id);
    if (event === undefined) throw new Error(`test room has no event ${id}`);
    return event;
  }
}

/**
 * A typical room: alice creates and joins, sets power levels (alice 100, bob 50 unless
 * overridden; creators are omitted from `users` in v12) and a join rule, and the listed
 * members join.
 */
export function standardRoom(
  versionId: string,
  options: { joinRule?: string; users?: JsonObject; members?: readonly string[]; powerLevels?: JsonObject } = {},
): TestRoom {
  const room = new TestRoom(versionId);
  room.member(ALICE, 'join');
  const users: JsonObject = { ...(room.version.privilegedCreators ? {} : { [ALICE]: 100 }), [BOB]: 50, ...(options.users ?? {}) };
  room.send({ type: 'm.room.power_levels', sender: ALICE, stateKey: '', content: { users, ...(options.powerLevels ?? {}) } });
  room.send({ type: 'm.room.join_rules', sender: ALICE, stateKey: '', content: { join_rule: options.joinRule ?? 'public' } });
  const rule = options.joinRule ?? 'public';
  for (const member of options.members ?? [BOB, CHARLIE]) {
    if (rule !== 'public') room.member(member, 'invite', ALICE);
    room.member(member, 'join');
  }
  return room;
}
