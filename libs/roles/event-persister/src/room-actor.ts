// The room persister actor (kind `room`, key = room ID): the single writer of one room, and the
// room input of issue 8. `createLocalEvents` builds and authorizes events from templates of an
// authenticated local requester; `ingest` checks a PDU built elsewhere (ingest-event.ts). Both
// apply their events to the in-memory view at once, queue them, and return a deferred reply:
// the mailbox moves on while a commit loop hands everything queued since the previous commit
// to the process's group committer, which writes it with the batches of other rooms in ONE
// transaction (group commit), and each caller is answered when the transaction holding its
// events commits, with their `events` stream positions.
//
// The actor owns the room under an epoch (room-ownership.ts): it takes the room before reading
// it, every commit checks the epoch, and it releases the room when it ends. A failed commit
// (fenced out, database error) fails every caller waiting on the view that was built on it and
// crashes the actor, so the next message re-creates it from PostgreSQL.
import { defineActor, reply, replyLater, type ActorDefinition, type ActorLogger, type Later, type Replied } from '@homeserver/actors';
import { authStateFromEvents, checkAuth, findRoomVersion, parsePdu, roomIdOfCreateEvent, type RoomEvent, type RoomVersion, type SigningKey, type VerifyKeyLookup } from '@homeserver/matrix';
import {
  EVENTS_STREAM,
  ROOM_ACTOR_KIND,
  roomFailure,
  type CreateLocalEventsReply,
  type CreateLocalEventsRequest,
  type CreateRoomSpec,
  type IngestReply,
  type IngestRequest,
  type JoinRemoteRoomReply,
  type JoinRemoteRoomRequest,
  type ReceiveInviteRequest,
  type RemoteLeaveRequest,
  type PurgeHistoryReply,
  type PurgeHistoryRequest,
  type RoomFailure,
} from '@homeserver/services';
import { fenceRoomCommit, getEvent, getEventFlags, getEventIdForTxn, getRoom, purgeRoomHistory, recentTxnEvents, type Database, type EventStreamRow } from '@homeserver/storage';
import type { StreamWriter } from '@homeserver/streams';
import { applyToView, buildAndAuthorize } from './build-event.ts';
import { planIngest } from './ingest-event.ts';
import { planRemoteJoin } from './join-remote-room.ts';
import { planOutOfBandInvite } from './receive-invite.ts';
import { planOutOfBandLeave } from './out-of-band-leave.ts';
import { GroupCommitter } from './group-committer.ts';
import type { BatchOutcome, StagedItem, StateEntries } from './persist-batch.ts';
import { acquireRoom, releaseRoom, type RoomOwnership } from './room-ownership.ts';
import { RoomView } from './room-view.ts';

export interface RoomActorDeps {
  readonly db: Database;
  readonly writer: StreamWriter<EventStreamRow>;
  readonly serverName: string;
  readonly signingKey: SigningKey;
  /**
   * Public keys of other servers, for signatures of ingested PDUs. This server's own key is
   * always known. Default: no other server's key (their PDUs are refused as unsigned).
   */
  readonly lookupKey?: VerifyKeyLookup;
  /** Default: Date.now. */
  readonly now?: () => number;
  /** A full state snapshot every this many state groups. Default: 100. */
  readonly snapshotInterval?: number;
  /** How long a new owner waits for the previous one to release the room. Default: 2000 ms. */
  readonly ownershipWaitMs?: number;
  /** Called after each committed transaction with its size (metrics, tests). Default: none. */
  readonly onBatchCommitted?: (roomId: string, events: number) => void;
  /** Default: silent. */
  readonly logger?: ActorLogger;
}

/** Events queued for the next transaction; settled when it commits (or fails). */
class Batch {
  readonly items: StagedItem[] = [];
  outcome: BatchOutcome | undefined;
  readonly done: Promise<BatchOutcome>;
  resolve!: (outcome: BatchOutcome) => void;
  reject!: (error: Error) => void;
  constructor() {
    this.done = new Promise<BatchOutcome>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    // Callers attach to `done` through replyLater; an unobserved failure is not unhandled.
    this.done.catch(() => {});
  }
}

const KEEP_TXNS = 1024;
/** How far back a new owner remembers transaction IDs: longer than any send waits for its room (RoomClient's ask timeout). */
const RECENT_TXNS_MS = 5 * 60_000;

type LocalReply = Later<CreateLocalEventsReply> | Replied<CreateLocalEventsReply> | CreateLocalEventsReply;

export class RoomActor {
  readonly #roomId: string;
  readonly #deps: RoomActorDeps;
  readonly #committer: GroupCommitter;
  #view: RoomView | undefined;
  #ownership: RoomOwnership | undefined;
  #open = new Batch();
  #flushing: Promise<void> | undefined;
  /**
   * Transaction IDs of events queued or recently committed by this actor, and those recorded
   * shortly before it took the room (`position`): a sender that looked a transaction ID up
   * before asking (txnsLookedUp) may have done so before a previous owner committed it.
   */
  #txns = new Map<string, { eventId: string; batch: Batch } | { eventId: string; position: number }>();
  #broken: Error | undefined;

  private constructor(roomId: string, deps: RoomActorDeps, committer: GroupCommitter) {
    this.#roomId = roomId;
    this.#deps = deps;
    this.#committer = committer;
  }

  /** Takes the room (when it exists), then reads it: never from memory of an earlier ownership. */
  static async create(roomId: string, deps: RoomActorDeps, committer: GroupCommitter): Promise<RoomActor> {
    const actor = new RoomActor(roomId, deps, committer);
    if (await getRoom(deps.db, roomId)) {
      await actor.#acquire();
      actor.#view = await RoomView.load(deps.db, roomId);
      await actor.#rememberRecentTxns();
    }
    return actor;
  }

  async createLocalEvents(request: CreateLocalEventsRequest): Promise<LocalReply> {
    // A failed commit left the view ahead of the database: crash so the view is reloaded.
    if (this.#broken) throw this.#broken;
    for (const template of request.templates) {
      if (template.sender !== request.requester.userId) {
        return roomFailure('Forbidden', `${request.requester.userId} may not send events as ${template.sender}`);
      }
    }
    if (!request.requester.userId.endsWith(`:${this.#deps.serverName}`)) {
      return roomFailure('Forbidden', `${request.requester.userId} is not a user of this server`);
    }
    const items: StagedItem[] = [];
    const eventIds: string[] = [];
    /** Events of repeated transaction IDs: already committed (position known) or queued in a batch. */
    const repeats = new Map<string, number | Batch>();
    if (request.create) {
      const created = await this.#stageCreate(request.create);
      if ('ok' in created) return created;
      items.push(created);
      eventIds.push(created.event.eventId);
    }
    const view = this.#view;
    if (!view) return roomFailure('NotFound', `room ${this.#roomId} is not known to this server`);
    const checkpoint = request.templates.length > 1 || request.create ? view.checkpoint() : undefined;
    const deviceId = request.requester.deviceId;
    for (const template of request.templates) {
      const txn = template.txnId !== undefined && deviceId !== undefined ? { userId: template.sender, deviceId, txnId: template.txnId } : undefined;
      const txnKey = txn ? `${txn.userId}\u0000${txn.deviceId}\u0000${txn.txnId}` : undefined;
      if (txn && txnKey) {
        const seen = await this.#findTxn(txnKey, txn, request.txnsLookedUp === true);
        if (seen) {
          repeats.set(seen.eventId, seen.at);
          eventIds.push(seen.eventId);
          continue;
        }
      }
      const built = await buildAndAuthorize(view, template, { db: this.#deps.db, serverName: this.#deps.serverName, signingKey: this.#deps.signingKey, now: this.#now });
      if ('ok' in built) {
        if (request.create) this.#view = undefined;
        else if (checkpoint) view.restore(checkpoint);
        return built;
      }
      items.push(this.#chainItem(view, built, txn));
      if (txnKey) this.#txns.set(txnKey, { eventId: built.eventId, batch: this.#open });
      eventIds.push(built.eventId);
    }
    const waits = [...repeats.values()].filter((at): at is Batch => at instanceof Batch);
    const batch = this.#enqueue(items);
    if (!batch && waits.length === 0) return this.#localReply(eventIds, repeats, undefined);
    return replyLater(
      (async () => {
        for (const other of waits) await other.done;
        return this.#localReply(eventIds, repeats, batch ? await batch.done : undefined);
      })(),
    );
  }

  async ingest(request: IngestRequest): Promise<Later<IngestReply> | IngestReply> {
    if (this.#broken) throw this.#broken;
    const view = this.#view;
    if (!view) return roomFailure('NotFound', `room ${this.#roomId} is not known to this server`);
    // The checks read prev and auth events from the database: let what is queued commit first.
    await this.#settled();
    if (this.#broken) throw this.#broken;
    // A PDU stored already (by ID) changes nothing, whatever the checks would say now; except
    // that backfill reaching an outlier (the state and invite a join came with) takes it into
    // the timeline when it passes, as Synapse does, so history shows it.
    const knownId = eventIdOf(request.pdu, view);
    const known = knownId === undefined ? undefined : (await getEventFlags(this.#deps.db, [knownId])).get(knownId);
    const duplicate: IngestReply = { ok: true, eventId: knownId!, outcome: 'duplicate', redacted: false, position: this.#deps.writer.position, writer: this.#deps.writer.instanceName };
    const intoTimeline = known !== undefined && known.outlier && !known.rejected && request.kind === 'backfilled';
    if (known && !intoTimeline) return duplicate;
    const plan = await planIngest(view, request, { db: this.#deps.db, lookupKey: this.#lookupKey });
    if ('ok' in plan) return plan;
    if (intoTimeline && plan.outcome !== 'accepted') return duplicate;
    let item: StagedItem = intoTimeline ? { ...plan.item, replacesOutlier: true } : plan.item;
    view.remember(item.event);
    if (plan.tip) {
      // An event at the tip is pushed to the members of the room as it was before it.
      await view.ensureLoaded(this.#deps.db, [{ type: 'm.room.power_levels', stateKey: '' }]);
      item = { ...item, push: view.pushContext() };
      for (const change of plan.tip.memberships) view.setMembership(change.userId, change.membership, change.displayName);
      view.state = plan.tip.state;
      view.extremities = plan.tip.extremities;
      view.maxDepth = Math.max(view.maxDepth, plan.item.event.depth);
      const groups = item.groups;
      if (groups.kind === 'explicit' && groups.head) {
        // The head is a snapshot (or the event's snapshot): later deltas chain on it.
        view.groupDepth = 0;
        view.hasGroup = true;
      }
    }
    const batch = this.#enqueue([item])!;
    return replyLater(
      batch.done.then((outcome) => {
        const position = outcome.positions.get(item.event.eventId)!;
        const value: IngestReply = {
          ok: true,
          eventId: item.event.eventId,
          outcome: plan.outcome,
          ...(plan.reason === undefined ? {} : { reason: plan.reason }),
          redacted: plan.redacted,
          // Events stored behind the timeline announce nothing: the writer's position covers them.
          position: position > 0 ? position : this.#deps.writer.position,
          writer: this.#deps.writer.instanceName,
        };
        return position > 0 ? reply(value, [{ stream: EVENTS_STREAM, writer: this.#deps.writer.instanceName, position }]) : value;
      }),
    );
  }

  /** An invite of a local user from another server: ingested at the tip when the room is held, else stored out of band. */
  receiveInvite(request: ReceiveInviteRequest): Promise<Later<IngestReply> | IngestReply> {
    return this.#atTipOrOutOfBand(request, () => planOutOfBandInvite(this.#roomId, request, { serverName: this.#deps.serverName, lookupKey: this.#lookupKey }));
  }

  /**
   * Persists a room joined through another server (or rejoined): the checked state and auth
   * chain as outliers and the join as the room's only tip, in one transaction.
   */
  async joinRemoteRoom(request: JoinRemoteRoomRequest): Promise<Later<JoinRemoteRoomReply> | JoinRemoteRoomReply> {
    if (this.#broken) throw this.#broken;
    await this.#settled();
    if (this.#broken) throw this.#broken;
    const version = findRoomVersion(request.roomVersion);
    if (!version) return roomFailure('UnsupportedRoomVersion', `room version ${request.roomVersion} of ${this.#roomId} is not supported`);
    if (this.#view && this.#view.version.id !== version.id) {
      return roomFailure('BadEvent', `room ${this.#roomId} has version ${this.#view.version.id} here, not ${version.id}`);
    }
    // The same join again (a retried send_join) changes nothing.
    const joinId = eventIdOfPdu(request.join, version);
    const stored = joinId === undefined ? undefined : await getEvent(this.#deps.db, joinId);
    if (stored) return { ok: true, eventId: stored.eventId, position: Math.max(stored.streamOrdering, 0), writer: this.#deps.writer.instanceName, stored: 0, rejected: 0 };
    const plan = await planRemoteJoin(this.#roomId, version, request, { db: this.#deps.db, lookupKey: this.#lookupKey, serverName: this.#deps.serverName });
    if ('ok' in plan) return plan;
    if (this.#broken) throw this.#broken;
    const isNew = !this.#view;
    if (isNew && !this.#ownership) await this.#acquire();
    const view = (this.#view ??= new RoomView(this.#roomId, version));
    for (const event of plan.stateEvents) view.remember(event);
    view.remember(plan.join);
    view.state = plan.state;
    view.resetMembers([...plan.stateEvents, plan.join]);
    view.extremities = [{ eventId: plan.join.eventId, depth: plan.join.depth }];
    view.maxDepth = Math.max(view.maxDepth, plan.join.depth);
    // The join's state group (a snapshot) is the head later deltas chain on.
    view.groupDepth = 0;
    view.hasGroup = true;
    const items = plan.items;
    if (isNew) items[items.length - 1] = { ...items[items.length - 1]!, createRoom: { roomVersion: version.id, creator: plan.createSender, isPublic: false } };
    const batch = this.#enqueue(items)!;
    const writer = this.#deps.writer.instanceName;
    return replyLater(
      batch.done.then((outcome) => {
        const position = outcome.positions.get(plan.join.eventId)!;
        return reply<JoinRemoteRoomReply>({ ok: true, eventId: plan.join.eventId, position, writer, stored: plan.stored, rejected: plan.rejected }, [{ stream: EVENTS_STREAM, writer, position }]);
      }),
    );
  }

  /** Our leave accepted by a resident server: at the tip when it can be, else out of band. */
  recordRemoteLeave(request: RemoteLeaveRequest): Promise<Later<IngestReply> | IngestReply> {
    return this.#atTipOrOutOfBand(request, () => planOutOfBandLeave(this.#roomId, request, { serverName: this.#deps.serverName, lookupKey: this.#lookupKey }));
  }

  /**
   * A membership event from another server that concerns one of our users: ingested at the tip
   * when the room is held and its prev events are known here, else (we are not in the room, or
   * behind the other server) stored out of band as `plan` builds it, once.
   */
  async #atTipOrOutOfBand(
    request: { readonly pdu: IngestRequest['pdu']; readonly origin: string; readonly roomVersion: string },
    plan: () => Promise<StagedItem | RoomFailure>,
  ): Promise<Later<IngestReply> | IngestReply> {
    if (this.#broken) throw this.#broken;
    if (this.#view) {
      const ingested = await this.ingest({ pdu: request.pdu, origin: request.origin, kind: 'new' });
      if (!('ok' in ingested) || ingested.ok || ingested.kind !== 'NotFound') return ingested;
    }
    await this.#settled();
    const version = findRoomVersion(request.roomVersion);
    const knownId = version ? eventIdOfPdu(request.pdu, version) : undefined;
    if (knownId !== undefined && (await getEventFlags(this.#deps.db, [knownId])).has(knownId)) {
      return { ok: true, eventId: knownId, outcome: 'duplicate', redacted: false, position: this.#deps.writer.position, writer: this.#deps.writer.instanceName };
    }
    const item = await plan();
    if ('ok' in item) return item;
    if (!this.#ownership) await this.#acquire();
    const batch = this.#enqueue([item])!;
    const writer = this.#deps.writer.instanceName;
    return replyLater(
      batch.done.then((outcome) => {
        const position = outcome.positions.get(item.event.eventId)!;
        return reply<IngestReply>({ ok: true, eventId: item.event.eventId, outcome: 'accepted', redacted: false, position, writer }, [{ stream: EVENTS_STREAM, writer, position }]);
      }),
    );
  }

  /**
   * Purges history below a depth once everything queued has committed, under the ownership
   * fence. The view needs none of what goes: the current state, the forward extremities and
   * every state event stay.
   */
  async purgeHistory(request: PurgeHistoryRequest): Promise<PurgeHistoryReply> {
    if (this.#broken) throw this.#broken;
    if (!this.#view || !this.#ownership) return roomFailure('NotFound', `room ${this.#roomId} is not known to this server`);
    await this.#settled();
    if (this.#broken) throw this.#broken;
    const owner = this.#ownership;
    const result = await this.#deps.db.transaction(async (tx) => {
      // The fence first: its row lock keeps a new owner out until the purge commits.
      if (!(await fenceRoomCommit(tx, this.#roomId, owner, undefined))) return undefined;
      return purgeRoomHistory(tx, this.#roomId, { ...request, serverName: this.#deps.serverName });
    });
    if (!result) return roomFailure('Conflict', `instance ${owner.instanceName} no longer owns room ${this.#roomId}; nothing was purged`);
    return { ok: true, ...result };
  }

  /**
   * Waits for queued events to commit, then releases the room: the actor definition's release
   * hook, run when placement moves the room away (ActorSystem.rebalance or release), on
   * passivation and when the process stops, so the next owner takes the room without waiting.
   */
  async release(): Promise<void> {
    await this.#settled().catch(() => {});
    if (this.#ownership && !this.#broken) await releaseRoom(this.#deps.db, this.#roomId, this.#ownership, this.#now());
    this.#ownership = undefined;
  }

  #now = (): number => (this.#deps.now ?? Date.now)();

  #lookupKey: VerifyKeyLookup = (server, keyId) => {
    const key = this.#deps.signingKey;
    if (server === this.#deps.serverName && keyId === key.keyId) return { publicKey: key.publicKey };
    return this.#deps.lookupKey?.(server, keyId);
  };

  async #acquire(): Promise<void> {
    this.#ownership = await acquireRoom(this.#deps.db, this.#roomId, this.#deps.writer.instanceName, {
      waitMs: this.#deps.ownershipWaitMs,
      now: this.#now,
      logger: this.#deps.logger,
    });
  }

  #localReply(eventIds: readonly string[], repeats: ReadonlyMap<string, number | Batch>, outcome: BatchOutcome | undefined): CreateLocalEventsReply | Replied<CreateLocalEventsReply> {
    const events = eventIds.map((eventId) => {
      const at = repeats.get(eventId);
      const position = typeof at === 'number' ? at : (at?.outcome ?? outcome)?.positions.get(eventId) ?? 0;
      return { eventId, position };
    });
    const position = Math.max(0, ...events.map((e) => e.position));
    const writer = this.#deps.writer.instanceName;
    const value: CreateLocalEventsReply = { ok: true, events, position, writer };
    return outcome ? reply(value, [{ stream: EVENTS_STREAM, writer, position }]) : value;
  }

  async #stageCreate(create: CreateRoomSpec): Promise<RoomFailure | StagedItem> {
    const version = findRoomVersion(create.roomVersion);
    if (!version) return roomFailure('UnsupportedRoomVersion', `room version ${create.roomVersion} is not supported`);
    if (this.#view || (await getRoom(this.#deps.db, this.#roomId))) return roomFailure('Conflict', `room ${this.#roomId} already exists`);
    let event: RoomEvent;
    try {
      event = parsePdu(create.createPdu, version);
    } catch (error) {
      return roomFailure('BadEvent', `invalid create event: ${(error as Error).message}`);
    }
    const roomId = version.roomIdIsCreateEventHash ? roomIdOfCreateEvent(event) : event.roomId;
    if (event.type !== 'm.room.create' || roomId !== this.#roomId) {
      return roomFailure('BadEvent', `the create event defines room ${roomId}, not ${this.#roomId}`);
    }
    const allowed = checkAuth(event, authStateFromEvents([]));
    if (!allowed.allowed) return roomFailure('BadEvent', `the create event is not valid: ${allowed.reason}`);
    if (!this.#ownership) await this.#acquire();
    const view = new RoomView(this.#roomId, version);
    this.#view = view;
    return { ...this.#chainItem(view, event, undefined), createRoom: { roomVersion: version.id, creator: create.creator, isPublic: create.isPublic } };
  }

  /** A local (or tip) event on the current state: applied to the view, chained state groups. */
  #chainItem(view: RoomView, event: RoomEvent, txn: StagedItem['txn']): StagedItem {
    const push = view.pushContext();
    applyToView(view, event);
    let snapshot: StateEntries | undefined;
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
    return { event, txn, groups: snapshot ? { kind: 'chain', snapshot } : { kind: 'chain' }, behind: false, extremities: view.extremities.map((x) => x.eventId), push };
  }

  async #findTxn(key: string, txn: NonNullable<StagedItem['txn']>, lookedUp: boolean): Promise<{ eventId: string; at: number | Batch } | undefined> {
    const known = this.#txns.get(key);
    if (known && 'position' in known) return { eventId: known.eventId, at: known.position };
    if (known) return { eventId: known.eventId, at: known.batch.outcome?.positions.get(known.eventId) ?? known.batch };
    if (lookedUp) return undefined;
    const eventId = await getEventIdForTxn(this.#deps.db, { roomId: this.#roomId, ...txn });
    if (eventId === undefined) return undefined;
    const event = await getEvent(this.#deps.db, eventId);
    return { eventId, at: event?.streamOrdering ?? 0 };
  }

  /** Queues items (all in the same batch) and makes sure the commit loop runs; undefined for none. */
  #enqueue(items: readonly StagedItem[]): Batch | undefined {
    if (items.length === 0) return undefined;
    const batch = this.#open;
    batch.items.push(...items);
    // Let every message already waiting in the mailbox join this batch before it starts.
    this.#flushing ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.#flushLoop());
    return batch;
  }

  /** Resolves once nothing is queued or committing. */
  async #settled(): Promise<void> {
    while (this.#flushing) await this.#flushing;
  }

  async #flushLoop(): Promise<void> {
    try {
      while (this.#open.items.length > 0 && !this.#broken) {
        const batch = this.#open;
        this.#open = new Batch();
        // No view: out-of-band invites of a room not held here (no state, no state groups).
        const view = this.#view;
        try {
          const outcome = await this.#committer.commit({ items: batch.items, roomId: this.#roomId, committedGroup: view?.committedGroup, owner: this.#ownership! });
          if (view) view.committedGroup = outcome.committedGroup;
          batch.outcome = outcome;
          batch.resolve(outcome);
          this.#deps.onBatchCommitted?.(this.#roomId, batch.items.length);
        } catch (error) {
          // The view already holds these events and everything queued on top of them: fail
          // them all and crash on the next message, so the view is reloaded from the database.
          this.#broken = error instanceof Error ? error : new Error(String(error));
          this.#deps.logger?.error({ err: this.#broken, roomId: this.#roomId }, 'room commit failed; the room actor will reload');
          batch.reject(this.#broken);
          this.#open.reject(this.#broken);
          break;
        }
        this.#forgetTxns();
        // Yield so messages queued meanwhile can join the next batch.
        if (this.#open.items.length > 0) await new Promise((resolve) => setImmediate(resolve));
      }
    } finally {
      this.#flushing = undefined;
    }
  }

  #forgetTxns(): void {
    if (this.#txns.size <= KEEP_TXNS) return;
    for (const [key, value] of this.#txns) {
      if (this.#txns.size <= KEEP_TXNS / 2) break;
      if ('position' in value || value.batch.outcome) this.#txns.delete(key);
    }
  }

  /**
   * Transaction IDs recorded in the last RECENT_TXNS_MS (by a previous owner, most often), so a
   * send whose sender looked its transaction ID up before that owner committed it is still
   * answered with the stored event.
   */
  async #rememberRecentTxns(): Promise<void> {
    for (const sent of await recentTxnEvents(this.#deps.db, this.#roomId, { sinceTs: this.#now() - RECENT_TXNS_MS, limit: KEEP_TXNS })) {
      this.#txns.set(`${sent.userId}\u0000${sent.deviceId}\u0000${sent.txnId}`, { eventId: sent.eventId, position: sent.position });
    }
  }
}

function eventIdOf(pdu: IngestRequest['pdu'], view: RoomView): string | undefined {
  return eventIdOfPdu(pdu, view.version);
}

function eventIdOfPdu(pdu: IngestRequest['pdu'], version: RoomVersion): string | undefined {
  try {
    return parsePdu(pdu, version).eventId;
  } catch {
    return undefined;
  }
}

/** The `room` actor kind, bound to this process's persistence dependencies; its rooms share one group committer. */
export function roomActorDefinition(deps: RoomActorDeps): ActorDefinition<RoomActor> {
  const committer = new GroupCommitter(deps.writer, { instanceName: deps.writer.instanceName, serverName: deps.serverName });
  return defineActor(ROOM_ACTOR_KIND, {
    create: (roomId) => RoomActor.create(roomId, deps, committer),
    // Idle rooms release their view and their ownership; the next message takes them again.
    passivateAfterMs: 10 * 60_000,
    mailboxCapacity: 10_000,
    release: (actor) => actor.release(),
  });
}
