// The room persister actor (kind `room`, key = room ID): the single writer of one room. `stage`
// builds, authorizes and applies events to the in-memory view and queues them; a background
// commit loop writes everything queued since the previous transaction in ONE transaction
// (group commit); `commit` waits for the batch holding the caller's events and replies with
// their `events` stream positions. A failed commit makes the actor throw on its next message,
// so the actor system re-creates it and the view is reloaded from the database.
import { defineActor, reply, type ActorDefinition } from '@homeserver/actors';
import { authStateFromEvents, checkAuth, findRoomVersion, parsePdu, roomIdOfCreateEvent, type RoomEvent, type SigningKey } from '@homeserver/matrix';
import { EVENTS_STREAM, ROOM_ACTOR_KIND, type CommitReply, type RoomFailure, type StagedEvent, type StageReply, type StageRequest } from '@homeserver/services';
import { getEvent, getEventIdForTxn, getRoom, type Database, type EventStreamRow } from '@homeserver/storage';
import type { StreamWriter } from '@homeserver/streams';
import { applyToView, buildAndAuthorize, failure } from './build-event.ts';
import { persistBatch, type StagedItem } from './persist-batch.ts';
import { RoomView } from './room-view.ts';

export interface RoomActorDeps {
  readonly db: Database;
  readonly writer: StreamWriter<EventStreamRow>;
  readonly serverName: string;
  readonly signingKey: SigningKey;
  /** Default: Date.now. */
  readonly now?: () => number;
  /** A full state snapshot every this many state groups. Default: 100. */
  readonly snapshotInterval?: number;
  /** Called after each committed transaction with its size (metrics, tests). Default: none. */
  readonly onBatchCommitted?: (roomId: string, events: number) => void;
}

interface Deferred {
  promise: Promise<CommitReply>;
  resolve: (reply: CommitReply) => void;
}

function deferred(): Deferred {
  let resolve!: (reply: CommitReply) => void;
  const promise = new Promise<CommitReply>((r) => (resolve = r));
  return { promise, resolve };
}

const KEEP_RESULTS = 256;

export class RoomActor {
  readonly #roomId: string;
  readonly #deps: RoomActorDeps;
  #view: RoomView | undefined;
  #pending: StagedItem[] = [];
  /** The batch new stages join; it is taken by the commit loop when its transaction starts. */
  #openBatch = 1;
  #waiters = new Map<number, Deferred>();
  #results = new Map<number, CommitReply>();
  #stagedTxns = new Map<string, { eventId: string; ticket: number }>();
  #flushing = false;
  #lastSettled = 0;
  #broken: Error | undefined;

  private constructor(roomId: string, deps: RoomActorDeps, view: RoomView | undefined) {
    this.#roomId = roomId;
    this.#deps = deps;
    this.#view = view;
  }

  static async create(roomId: string, deps: RoomActorDeps): Promise<RoomActor> {
    return new RoomActor(roomId, deps, await RoomView.load(deps.db, roomId));
  }

  async stage(request: StageRequest): Promise<StageReply> {
    // A failed commit left the view ahead of the database: crash so the view is reloaded.
    if (this.#broken) throw this.#broken;
    const items: StagedItem[] = [];
    const staged: StagedEvent[] = [];
    let checkpoint: ReturnType<RoomView['checkpoint']> | undefined;
    if (request.create) {
      const created = await this.#stageCreate(request.create);
      if ('ok' in created) return created;
      items.push(created);
      staged.push({ eventId: created.event.eventId });
    }
    const view = this.#view;
    if (!view) return failure(404, 'M_NOT_FOUND', `room ${this.#roomId} is not known to this server`);
    if (request.events.length > 1 && !request.create) checkpoint = view.checkpoint();
    let waitFor = 0;
    for (const template of request.events) {
      const txn = template.txnId !== undefined && template.deviceId !== undefined ? { userId: template.sender, deviceId: template.deviceId, txnId: template.txnId } : undefined;
      const txnKey = txn ? `${txn.userId}\u0000${txn.deviceId}\u0000${txn.txnId}` : undefined;
      if (txn && txnKey) {
        const seen = await this.#findTxn(txnKey, txn);
        if (seen) {
          staged.push({ eventId: seen.eventId, position: seen.position });
          if (seen.position === undefined) waitFor = Math.max(waitFor, seen.ticket ?? this.#openBatch);
          continue;
        }
      }
      const built = await buildAndAuthorize(view, template, { db: this.#deps.db, serverName: this.#deps.serverName, signingKey: this.#deps.signingKey, now: this.#now });
      if ('ok' in built) {
        if (request.create) this.#view = undefined;
        else if (checkpoint) view.restore(checkpoint);
        return built;
      }
      items.push(this.#stageItem(view, built, txn));
      if (txnKey) this.#stagedTxns.set(txnKey, { eventId: built.eventId, ticket: this.#openBatch });
      staged.push({ eventId: built.eventId });
    }
    // Queued only now, all at once: a multi-event request must never be split over two batches.
    if (items.length > 0) {
      this.#pending.push(...items);
      waitFor = Math.max(waitFor, this.#openBatch);
      if (!this.#flushing) {
        this.#flushing = true;
        // Let every stage already waiting in the mailbox join this batch before it starts.
        setImmediate(() => void this.#flushLoop());
      }
    }
    return { ok: true, ticket: waitFor === 0 ? undefined : waitFor, events: staged };
  }

  async commit(message: { ticket: number }): Promise<ReturnType<typeof reply<CommitReply>> | CommitReply> {
    let done = this.#results.get(message.ticket);
    // Settled so long ago that its result was dropped: a failure would have crashed this actor,
    // so it committed at or below the writer's position.
    if (!done && message.ticket <= this.#lastSettled) done = { ok: true, positions: {}, position: this.#deps.writer.position };
    const result = done ?? (await this.#waiter(message.ticket).promise);
    if (!result.ok) return result;
    return reply(result, [{ stream: EVENTS_STREAM, writer: this.#deps.writer.instanceName, position: result.position }]);
  }

  #now = (): number => (this.#deps.now ?? Date.now)();

  async #stageCreate(create: NonNullable<StageRequest['create']>): Promise<RoomFailure | StagedItem> {
    const version = findRoomVersion(create.roomVersion);
    if (!version) return failure(400, 'M_UNSUPPORTED_ROOM_VERSION', `room version ${create.roomVersion} is not supported`);
    if (this.#view || (await getRoom(this.#deps.db, this.#roomId))) return failure(400, 'M_ROOM_IN_USE', `room ${this.#roomId} already exists`);
    let event: RoomEvent;
    try {
      event = parsePdu(create.createPdu, version);
    } catch (error) {
      return failure(400, 'M_BAD_JSON', `invalid create event: ${(error as Error).message}`);
    }
    const roomId = version.roomIdIsCreateEventHash ? roomIdOfCreateEvent(event) : event.roomId;
    if (event.type !== 'm.room.create' || roomId !== this.#roomId) {
      return failure(400, 'M_BAD_JSON', `the create event defines room ${roomId}, not ${this.#roomId}`);
    }
    const allowed = checkAuth(event, authStateFromEvents([]));
    if (!allowed.allowed) return failure(400, 'M_BAD_JSON', `the create event is not valid: ${allowed.reason}`);
    const view = new RoomView(this.#roomId, version);
    this.#view = view;
    return this.#stageItem(view, event, undefined, { roomVersion: version.id, creator: create.creator, isPublic: create.isPublic });
  }

  #stageItem(view: RoomView, event: RoomEvent, txn: StagedItem['txn'], createRoom?: StagedItem['createRoom']): StagedItem {
    applyToView(view, event);
    let snapshot: StagedItem['snapshot'];
    if (event.stateKey !== undefined) {
      if (!view.hasGroup || view.groupDepth + 1 >= (this.#deps.snapshotInterval ?? 100)) {
        snapshot = [...view.state].map(([key, eventId]) => {
          const [type, stateKey] = key.split('\u0000') as [string, string];
          return { type, stateKey, eventId };
        });
        view.groupDepth = 0;
      } else {
        view.groupDepth++;
      }
      view.hasGroup = true;
    }
    return { event, txn, snapshot, createRoom, extremities: view.extremities.map((x) => x.eventId) };
  }

  async #findTxn(key: string, txn: NonNullable<StagedItem['txn']>): Promise<{ eventId: string; position?: number; ticket?: number } | undefined> {
    const staged = this.#stagedTxns.get(key);
    if (staged) {
      const result = this.#results.get(staged.ticket);
      if (result?.ok) return { eventId: staged.eventId, position: result.positions[staged.eventId] };
      if (!result) return { eventId: staged.eventId, ticket: staged.ticket };
    }
    const eventId = await getEventIdForTxn(this.#deps.db, { roomId: this.#roomId, ...txn });
    if (eventId === undefined) return undefined;
    const event = await getEvent(this.#deps.db, eventId);
    return { eventId, position: event?.streamOrdering };
  }

  async #flushLoop(): Promise<void> {
    while (this.#pending.length > 0 && !this.#broken) {
      const items = this.#pending.splice(0);
      const ticket = this.#openBatch++;
      const view = this.#view!;
      let outcome: CommitReply;
      try {
        const written = await this.#deps.writer.write((tx) => persistBatch(tx, items, { roomId: this.#roomId, instanceName: this.#deps.writer.instanceName, committedGroup: view.committedGroup }));
        view.committedGroup = written.value.committedGroup;
        outcome = { ok: true, positions: Object.fromEntries(written.value.positions), position: written.position };
        this.#deps.onBatchCommitted?.(this.#roomId, items.length);
      } catch (error) {
        // The view already holds these events: it is wrong now. Fail this batch and everything
        // staged on top of it, and crash on the next message so the view is reloaded.
        this.#broken = error instanceof Error ? error : new Error(String(error));
        outcome = failure(500, 'M_UNKNOWN', `could not persist events of room ${this.#roomId}: ${this.#broken.message}`);
        this.#settle(ticket, outcome);
        this.#settle(this.#openBatch, outcome);
        this.#pending = [];
        break;
      }
      this.#settle(ticket, outcome);
      // Yield so stages queued behind a waiting `commit` can join the next batch.
      if (this.#pending.length > 0) await new Promise((r) => setImmediate(r));
    }
    this.#flushing = false;
  }

  #settle(ticket: number, outcome: CommitReply): void {
    this.#lastSettled = Math.max(this.#lastSettled, ticket);
    this.#results.set(ticket, outcome);
    if (this.#results.size > KEEP_RESULTS) this.#results.delete(this.#results.keys().next().value!);
    this.#waiters.get(ticket)?.resolve(outcome);
    this.#waiters.delete(ticket);
    if (this.#stagedTxns.size > KEEP_RESULTS * 4) {
      for (const [key, value] of this.#stagedTxns) if (value.ticket <= ticket) this.#stagedTxns.delete(key);
    }
  }

  #waiter(ticket: number): Deferred {
    let waiter = this.#waiters.get(ticket);
    if (!waiter) this.#waiters.set(ticket, (waiter = deferred()));
    return waiter;
  }
}

/** The `room` actor kind, bound to this process's persistence dependencies. */
export function roomActorDefinition(deps: RoomActorDeps): ActorDefinition<RoomActor> {
  return defineActor(ROOM_ACTOR_KIND, {
    create: (roomId) => RoomActor.create(roomId, deps),
    // Idle rooms release their view; the next message reloads it.
    passivateAfterMs: 10 * 60_000,
    mailboxCapacity: 10_000,
  });
}
