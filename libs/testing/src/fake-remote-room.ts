// A room held by a simulated remote homeserver, in memory: events built and signed with the
// remote server's key, its current state and forward extremities, and the answers a resident
// server gives to make_join / send_join / backfill. Tests of the joining side use it where a
// second real server would be too slow or not there yet.
import {
  buildEvent,
  roomVersion,
  selectAuthEvents,
  SigningKey,
  stateKeyOf,
  type JsonObject,
  type RoomEvent,
  type RoomVersion,
  type StateKey,
  type VerifyKeyLookup,
} from '@homeserver/matrix';

export interface FakeRemoteRoomOptions {
  /** Default: 'remote.test'. */
  readonly serverName?: string;
  /** Default: '10'. */
  readonly roomVersion?: string;
  /** Default: `@creator:<serverName>`. */
  readonly creator?: string;
  /** Default: 'public'. */
  readonly joinRule?: string;
  /** Default: a key from a fixed seed. */
  readonly signingKey?: SigningKey;
}

export interface RemoteEventFields {
  readonly type: string;
  readonly sender: string;
  readonly content: JsonObject;
  readonly stateKey?: string;
  /** Default: the room's forward extremities. */
  readonly prevEvents?: readonly string[];
}

/** The key a simulated remote server signs with unless told otherwise. */
export function fakeRemoteSigningKey(): SigningKey {
  return SigningKey.fromSeed(new Uint8Array(32).fill(42), 'remote');
}

export class FakeRemoteRoom {
  readonly serverName: string;
  readonly version: RoomVersion;
  readonly signingKey: SigningKey;
  readonly creator: string;
  roomId = '';
  readonly events = new Map<string, RoomEvent>();
  /** Events in the order they were added. */
  readonly timeline: RoomEvent[] = [];
  state = new Map<StateKey, string>();
  extremities: string[] = [];
  /** Distinct per room, so two fake rooms never share an ID (v12 IDs hash the create event). */
  #ts = 1_700_000_000_000 + Math.floor(Math.random() * 1e9) * 1000;

  constructor(options: FakeRemoteRoomOptions = {}) {
    this.serverName = options.serverName ?? 'remote.test';
    this.version = roomVersion(options.roomVersion ?? '10');
    this.signingKey = options.signingKey ?? fakeRemoteSigningKey();
    this.creator = options.creator ?? `@creator:${this.serverName}`;
    const create = this.#build({ type: 'm.room.create', stateKey: '', sender: this.creator, content: { room_version: this.version.id, ...(this.version.roomIdIsCreateEventHash ? {} : { creator: this.creator }) } }, true);
    this.roomId = create.roomId;
    this.#apply(create);
    this.send({ type: 'm.room.member', stateKey: this.creator, sender: this.creator, content: { membership: 'join' } });
    // From v12 the creator's power comes from the create event and must not be listed.
    this.send({ type: 'm.room.power_levels', stateKey: '', sender: this.creator, content: { users: this.version.roomIdIsCreateEventHash ? {} : { [this.creator]: 100 }, users_default: 0, events_default: 0, state_default: 50, ban: 50, kick: 50, invite: 0 } });
    this.send({ type: 'm.room.join_rules', stateKey: '', sender: this.creator, content: { join_rule: options.joinRule ?? 'public' } });
    this.send({ type: 'm.room.history_visibility', stateKey: '', sender: this.creator, content: { history_visibility: 'shared' } });
  }

  /** The remote server's key, as a lookup for signature checks. */
  readonly lookupKey: VerifyKeyLookup = (server, keyId) =>
    server === this.serverName && keyId === this.signingKey.keyId ? { publicKey: this.signingKey.publicKey } : undefined;

  /** Builds, signs and adds an event on the current state (or on `prevEvents`). */
  send(fields: RemoteEventFields): RoomEvent {
    const event = this.#build(fields, false);
    this.#apply(event);
    return event;
  }

  /** Adds an event built elsewhere (e.g. a join signed by the joining server). */
  add(event: RoomEvent): void {
    this.#apply(event);
  }

  stateId(type: string, stateKey: string): string | undefined {
    return this.state.get(stateKeyOf(type, stateKey));
  }

  /** make_join's answer for `userId`. */
  makeJoin(userId: string): { event: JsonObject; room_version: string } {
    return this.#template(userId, 'join');
  }

  /** The join a joining server builds from make_join's template for its `userId` and signs with its own key. */
  joinFrom(userId: string, joiner: { readonly serverName: string; readonly signingKey: SigningKey }): RoomEvent {
    const template = this.makeJoin(userId).event;
    return buildEvent(
      {
        type: 'm.room.member',
        stateKey: userId,
        sender: userId,
        content: template['content'] as JsonObject,
        roomId: this.roomId,
        prevEvents: template['prev_events'] as string[],
        authEvents: template['auth_events'] as string[],
        depth: template['depth'] as number,
        originServerTs: template['origin_server_ts'] as number,
      },
      { roomVersion: this.version, serverName: joiner.serverName, signingKey: joiner.signingKey },
    );
  }

  /** make_leave's answer for `userId`. */
  makeLeave(userId: string): { event: JsonObject; room_version: string } {
    return this.#template(userId, 'leave');
  }

  #template(userId: string, membership: string): { event: JsonObject; room_version: string } {
    const content = { membership };
    const authEvents = selectAuthEvents({ type: 'm.room.member', stateKey: userId, sender: userId, content, roomVersion: this.version }, this.state);
    const depth = Math.max(...this.extremities.map((id) => this.events.get(id)!.depth)) + 1;
    return {
      room_version: this.version.id,
      event: { type: 'm.room.member', state_key: userId, sender: userId, room_id: this.roomId, origin: this.serverName, origin_server_ts: this.#ts++, content, depth, prev_events: [...this.extremities], auth_events: authEvents },
    };
  }

  /** send_join v2's answer, computed before `join` is added to the room (which it then is). */
  sendJoin(join: RoomEvent): { state: JsonObject[]; auth_chain: JsonObject[]; origin: string; members_omitted: boolean; servers_in_room: string[] } {
    const stateIds = [...this.state.values()];
    const authChain = this.authChain([...stateIds, ...join.authEventIds]);
    const answer = {
      state: stateIds.map((id) => this.events.get(id)!.pdu),
      auth_chain: authChain.map((e) => e.pdu),
      origin: this.serverName,
      members_omitted: false,
      servers_in_room: [this.serverName],
    };
    this.add(join);
    return answer;
  }

  /** The auth chain of `ids` (not including them unless another event's auth chain does). */
  authChain(ids: readonly string[]): RoomEvent[] {
    const seen = new Set<string>();
    const stack = ids.flatMap((id) => this.events.get(id)?.authEventIds ?? []);
    while (stack.length > 0) {
      const id = stack.pop()!;
      if (seen.has(id)) continue;
      seen.add(id);
      stack.push(...(this.events.get(id)?.authEventIds ?? []));
    }
    return [...seen].map((id) => this.events.get(id)!).filter(Boolean);
  }

  /** /backfill's answer: up to `limit` events walking back from `from` (included), newest first. */
  backfill(from: readonly string[], limit: number): RoomEvent[] {
    const out: RoomEvent[] = [];
    const seen = new Set<string>();
    let frontier = [...from];
    while (frontier.length > 0 && out.length < limit) {
      const next: string[] = [];
      for (const id of frontier.sort((a, b) => this.events.get(b)!.depth - this.events.get(a)!.depth)) {
        if (seen.has(id) || out.length >= limit) continue;
        seen.add(id);
        const event = this.events.get(id);
        if (!event) continue;
        out.push(event);
        next.push(...event.prevEventIds);
      }
      frontier = next;
    }
    return out;
  }

  #build(fields: RemoteEventFields, isCreate: boolean): RoomEvent {
    const prevEvents = fields.prevEvents ?? this.extremities;
    const depth = Math.max(0, ...prevEvents.map((id) => this.events.get(id)?.depth ?? 0)) + 1;
    const authEvents = isCreate ? [] : selectAuthEvents({ type: fields.type, stateKey: fields.stateKey, sender: fields.sender, content: fields.content, roomVersion: this.version }, this.state);
    return buildEvent(
      {
        type: fields.type,
        sender: fields.sender,
        content: fields.content,
        ...(isCreate && this.version.roomIdIsCreateEventHash ? {} : { roomId: isCreate ? `!fake${this.#ts}:${this.serverName}` : this.roomId }),
        ...(fields.stateKey === undefined ? {} : { stateKey: fields.stateKey }),
        prevEvents: [...prevEvents],
        authEvents,
        depth,
        originServerTs: this.#ts++,
      },
      { roomVersion: this.version, serverName: this.serverName, signingKey: this.signingKey },
    );
  }

  #apply(event: RoomEvent): void {
    this.events.set(event.eventId, event);
    this.timeline.push(event);
    this.extremities = [...this.extremities.filter((id) => !event.prevEventIds.includes(id)), event.eventId];
    if (event.stateKey !== undefined) this.state.set(stateKeyOf(event.type, event.stateKey), event.eventId);
  }
}
