// Test support (not exported): builds a room DAG from labelled events, computing the state
// before each event by resolving the states after its prev events (as a server would), and
// selecting its auth events from that state.
import { selectAuthEvents } from '../auth/auth-types.ts';
import type { JsonObject } from '../json.ts';
import type { RoomEvent, StateKey, StateMap } from '../room-event.ts';
import { stateKeyOf } from '../room-event.ts';
import type { RoomVersion } from '../room-version.ts';
import { roomVersion } from '../room-version.ts';
import { resolveState } from './resolve-state.ts';

export const ALICE = '@alice:example.org';
export const BOB = '@bob:example.org';
export const CHARLIE = '@charlie:example.org';
export const ZARA = '@zara:other.example';
export const EVELYN = '@evelyn:example.org';

export interface DagEventInput {
  readonly type: string;
  readonly sender: string;
  readonly stateKey?: string;
  readonly content?: JsonObject;
  /** Labels of the prev events. */
  readonly prev: readonly string[];
  readonly ts?: number;
}

export class DagRoom {
  readonly version: RoomVersion;
  readonly roomId: string;
  readonly events = new Map<string, RoomEvent>();
  readonly #after = new Map<string, Map<StateKey, string>>();
  readonly #labels = new Map<string, string>();
  #clock = 0;

  constructor(versionId: string) {
    this.version = roomVersion(versionId);
    this.roomId = this.version.roomIdIsCreateEventHash ? '!CREATE' : '!room:example.org';
  }

  idOf(label: string): string {
    if (label === 'CREATE' && this.version.roomIdIsCreateEventHash) return '$CREATE';
    return this.version.eventIdFormat === 'server-assigned' ? `$${label}:example.org` : `$${label}`;
  }

  labelOf(eventId: string): string {
    return this.#labels.get(eventId) ?? eventId;
  }

  fetch = (id: string): RoomEvent | undefined => this.events.get(id);

  resolve(labels: readonly string[]): Map<StateKey, string> {
    const sets = labels.map((l) => this.stateAfter(l));
    if (sets.length === 1) return new Map(sets[0]);
    return resolveState(sets, { roomVersion: this.version, fetchEvent: this.fetch });
  }

  stateAfter(label: string): StateMap {
    const state = this.#after.get(label);
    if (state === undefined) throw new Error(`no event labelled ${label}`);
    return state;
  }

  add(label: string, input: DagEventInput): RoomEvent {
    const before = input.prev.length === 0 ? new Map<StateKey, string>() : this.resolve(input.prev);
    const content = input.content ?? {};
    const probe = { type: input.type, stateKey: input.stateKey, sender: input.sender, content, roomVersion: this.version };
    const prevEvents = input.prev.map((l) => this.events.get(this.idOf(l))!);
    this.#clock += 1;
    const event: RoomEvent = {
      eventId: this.idOf(label),
      roomId: this.roomId,
      type: input.type,
      stateKey: input.stateKey,
      sender: input.sender,
      content,
      originServerTs: input.ts ?? this.#clock,
      depth: Math.max(0, ...prevEvents.map((e) => e.depth)) + 1,
      authEventIds: input.type === 'm.room.create' ? [] : selectAuthEvents(probe, before),
      prevEventIds: prevEvents.map((e) => e.eventId),
      redacts: undefined,
      roomVersion: this.version,
      pdu: { type: input.type, sender: input.sender, content, signatures: { 'example.org': {} } },
    };
    this.events.set(event.eventId, event);
    this.#labels.set(event.eventId, label);
    const after = new Map(before);
    if (event.stateKey !== undefined) after.set(stateKeyOf(event.type, event.stateKey), event.eventId);
    this.#after.set(label, after);
    return event;
  }

  member(label: string, sender: string, target: string, membership: string, prev: readonly string[]): RoomEvent {
    return this.add(label, { type: 'm.room.member', sender, stateKey: target, content: { membership }, prev });
  }

  /** Power levels content; creators are left out of `users` in v12, where listing them is invalid. */
  powerLevels(users: Record<string, number>, extra: JsonObject = {}): JsonObject {
    const listed = Object.fromEntries(Object.entries(users).filter(([u]) => !(this.version.privilegedCreators && u === ALICE)));
    return { users: listed, ...extra };
  }

  /** The standard start: create, alice joins, power levels, public join rule, bob, charlie, zara join. Tip: IMZ. */
  static standard(versionId: string): DagRoom {
    const room = new DagRoom(versionId);
    const createContent: JsonObject = room.version.implicitRoomCreator ? { room_version: versionId } : { creator: ALICE, room_version: versionId };
    room.add('CREATE', { type: 'm.room.create', sender: ALICE, stateKey: '', content: createContent, prev: [] });
    room.member('IMA', ALICE, ALICE, 'join', ['CREATE']);
    room.add('IPOWER', { type: 'm.room.power_levels', sender: ALICE, stateKey: '', content: room.powerLevels({ [ALICE]: 100 }), prev: ['IMA'] });
    room.add('IJR', { type: 'm.room.join_rules', sender: ALICE, stateKey: '', content: { join_rule: 'public' }, prev: ['IPOWER'] });
    room.member('IMB', BOB, BOB, 'join', ['IJR']);
    room.member('IMC', CHARLIE, CHARLIE, 'join', ['IMB']);
    room.member('IMZ', ZARA, ZARA, 'join', ['IMC']);
    return room;
  }

  /** The resolved state as labels, for readable assertions: "type|state_key" → label. */
  labelled(state: StateMap): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [key, id] of state) out[key.replace('\u0000', '|')] = this.labelOf(id);
    return out;
  }
}
