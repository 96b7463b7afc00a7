// Test support: persists simple room events the way the room persister does (events row,
// memberships, current state, a state-group snapshot per state change, push actions for the
// joined members) through a writer of the `events` stream, so /sync can be tested without the
// event-persister role. Events are not signed or authorised: /sync only reads them.
import type { JsonObject } from '@homeserver/matrix';
import { eventsStream, storePushActions, type PushContext } from '@homeserver/services';
import {
  insertEvents,
  insertRoom,
  insertStateGroup,
  updateCurrentState,
  type Database,
  type EventStreamRow,
} from '@homeserver/storage';
import { StreamWriter } from '@homeserver/streams';
import type { Transport } from '@homeserver/transport';

/** The m.relates_to of a content, as the persister records it. */
function relationOf(content: Record<string, unknown>): { relatesTo: string; relType: string } | undefined {
  const relation = content['m.relates_to'] as Record<string, unknown> | undefined;
  return typeof relation?.['event_id'] === 'string' && typeof relation['rel_type'] === 'string' ? { relatesTo: relation['event_id'], relType: relation['rel_type'] } : undefined;
}

export interface SentEvent {
  readonly eventId: string;
  readonly position: number;
}

export class TestRooms {
  readonly writer: StreamWriter<EventStreamRow>;
  #state = new Map<string, Map<string, string>>();
  #group = new Map<string, number>();
  #last = new Map<string, { eventId: string; depth: number }>();
  /** Per room: the joined members and power levels the next event meets. */
  #push = new Map<string, PushContext>();
  #counter = 0;

  private constructor(writer: StreamWriter<EventStreamRow>) {
    this.writer = writer;
  }

  static async start(db: Database, transport: Transport): Promise<TestRooms> {
    return new TestRooms(await StreamWriter.start(db, transport, eventsStream, { instanceName: 'main', heartbeatMs: 200 }));
  }

  async createRoom(roomId: string, creator: string): Promise<void> {
    await this.send(roomId, creator, 'm.room.create', { creator, room_version: '10' }, '');
    await this.send(roomId, creator, 'm.room.member', { membership: 'join', displayname: creator.slice(1, creator.indexOf(':')) }, creator);
    await this.send(roomId, creator, 'm.room.power_levels', { users: { [creator]: 100 } }, '');
    await this.send(roomId, creator, 'm.room.join_rules', { join_rule: 'public' }, '');
  }

  join(roomId: string, userId: string): Promise<SentEvent> {
    return this.send(roomId, userId, 'm.room.member', { membership: 'join', displayname: userId.slice(1, userId.indexOf(':')) }, userId);
  }

  invite(roomId: string, sender: string, userId: string): Promise<SentEvent> {
    return this.send(roomId, sender, 'm.room.member', { membership: 'invite' }, userId);
  }

  leave(roomId: string, userId: string): Promise<SentEvent> {
    return this.send(roomId, userId, 'm.room.member', { membership: 'leave' }, userId);
  }

  message(roomId: string, sender: string, body: string, options: { txn?: { deviceId: string; txnId: string } } = {}): Promise<SentEvent> {
    return this.send(roomId, sender, 'm.room.message', { msgtype: 'm.text', body }, undefined, options);
  }

  async send(
    roomId: string,
    sender: string,
    type: string,
    content: Record<string, unknown>,
    stateKey?: string,
    options: { txn?: { deviceId: string; txnId: string } } = {},
  ): Promise<SentEvent> {
    const eventId = `$ev${++this.#counter}:test`;
    const prev = this.#last.get(roomId);
    const depth = (prev?.depth ?? 0) + 1;
    const state = new Map(this.#state.get(roomId) ?? []);
    const before = this.#group.get(roomId);
    const ts = Date.now();
    const pdu: Record<string, unknown> = { type, sender, content, room_id: roomId, origin_server_ts: ts, depth, prev_events: prev ? [prev.eventId] : [], auth_events: [] };
    if (stateKey !== undefined) pdu['state_key'] = stateKey;
    const { value: position } = await this.writer.write(async (tx) => {
      const [at] = await tx.allocate();
      if (type === 'm.room.create') {
        await insertRoom(tx, { roomId, roomVersion: '10', creator: sender, isPublic: false, createdTs: ts });
      }
      let after = before;
      if (stateKey !== undefined) {
        state.set(`${type}\u0000${stateKey}`, eventId);
        const group = await insertStateGroup(tx, {
          roomId,
          eventId,
          prevGroup: undefined,
          prevDepth: 0,
          entries: [...state].map(([key, id]) => ({ type: key.split('\u0000')[0]!, stateKey: key.split('\u0000')[1]!, eventId: id })),
        });
        after = group.id;
      }
      const membership = type === 'm.room.member' ? String(content['membership']) : undefined;
      await insertEvents(tx, [
        {
          eventId,
          roomId,
          type,
          stateKey,
          sender,
          depth,
          originServerTs: ts,
          streamOrdering: at!,
          instanceName: this.writer.instanceName,
          json: JSON.stringify(pdu),
          prevEventIds: prev ? [prev.eventId] : [],
          authEventIds: [],
          stateGroupBefore: before,
          stateGroupAfter: after,
          membership: membership !== undefined && stateKey !== undefined ? { userId: stateKey, membership, displayName: content['displayname'] as string | undefined } : undefined,
          txn: options.txn ? { userId: sender, ...options.txn } : undefined,
          relation: relationOf(content),
        },
      ]);
      if (stateKey !== undefined) {
        await updateCurrentState(tx, roomId, [{ type, stateKey, eventId, membership, streamOrdering: at! }]);
        this.#group.set(roomId, after!);
      }
      const context = this.#push.get(roomId);
      if (context) await storePushActions(tx, [{ eventId, roomId, sender, pdu: pdu as JsonObject, streamOrdering: at!, context }]);
      tx.addRow(at!, { eventId, roomId, type, stateKey, sender, membership });
      return at!;
    });
    this.#state.set(roomId, state);
    this.#last.set(roomId, { eventId, depth });
    this.#apply(roomId, type, content, stateKey);
    return { eventId, position };
  }

  /** The push context after a state event: members and power levels as the persister's view keeps them. */
  #apply(roomId: string, type: string, content: Record<string, unknown>, stateKey: string | undefined): void {
    if (stateKey === undefined) return;
    const context = this.#push.get(roomId) ?? { members: new Map<string, string | undefined>(), powerLevels: undefined };
    if (type === 'm.room.power_levels' && stateKey === '') this.#push.set(roomId, { ...context, powerLevels: content as JsonObject });
    if (type !== 'm.room.member') return;
    const members = new Map(context.members);
    if (content['membership'] === 'join') members.set(stateKey, typeof content['displayname'] === 'string' ? content['displayname'] : undefined);
    else members.delete(stateKey);
    this.#push.set(roomId, { ...this.#push.get(roomId) ?? context, members });
  }

  close(): Promise<void> {
    return this.writer.close();
  }
}
