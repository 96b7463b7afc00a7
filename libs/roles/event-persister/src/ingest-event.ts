// The checks of a PDU built elsewhere (federation, backfill, auth chains), in the order of the
// server-server spec's "Checks performed on receipt of a PDU" (Dendrite's roomserver input
// follows the same order): signatures (fail: refused, nothing stored), content hash (fail: the
// redacted form is stored), auth against the event's own auth events (fail: stored rejected),
// auth against the state before the event, resolved from its prev events' states when they
// differ (fail: stored rejected), and for events at the tip, auth against the current state
// (fail: soft-failed). Only the plan is made here; the actor applies it to its view and the
// group commit writes it.
import {
  authStateFromEvents,
  authStateFromMap,
  checkAuth,
  checkAuthEvents,
  eventSize,
  MAX_EVENT_BYTES,
  parsePdu,
  redactEvent,
  resolveState,
  stateKeyOf,
  verifyEventHashes,
  verifyEventSignatures,
  type JsonObject,
  type RoomEvent,
  type StateKey,
  type VerifyKeyLookup,
} from '@homeserver/matrix';
import { roomFailure, type IngestOutcome, type IngestRequest, type RoomFailure } from '@homeserver/services';
import { getAuthChainIds, getEventFlags, getEvents, getStateGroupIds, type EventFlags, type Queryable } from '@homeserver/storage';
import { extremitiesAfter } from './build-event.ts';
import type { GroupInput, StagedItem, StateEntries } from './persist-batch.ts';
import { redactionVerdict } from './redaction-verdict.ts';
import { memberFields, type Extremity, type RoomView } from './room-view.ts';

export interface IngestDeps {
  readonly db: Queryable;
  /** Public keys of servers, for the events' signatures. */
  readonly lookupKey: VerifyKeyLookup;
}

export interface IngestPlan {
  readonly item: StagedItem;
  readonly outcome: Exclude<IngestOutcome, 'duplicate'>;
  readonly reason?: string;
  readonly redacted: boolean;
  /**
   * For an accepted `new` event: the room's current state and extremities after it, and the
   * memberships that changed with it.
   */
  readonly tip?: {
    readonly state: Map<StateKey, string>;
    readonly extremities: Extremity[];
    readonly headIsAfter: boolean;
    readonly memberships: ReadonlyArray<{ readonly userId: string; readonly membership: string | undefined; readonly displayName: string | undefined }>;
  };
}

/** Events loaded for one ingest (parsed in the room's version), with how each entered the room. */
class Loaded {
  readonly events = new Map<string, RoomEvent>();
  readonly flags = new Map<string, EventFlags>();
  readonly #db: Queryable;
  readonly #view: RoomView;

  constructor(db: Queryable, view: RoomView) {
    this.#db = db;
    this.#view = view;
  }

  async load(ids: Iterable<string>): Promise<void> {
    const missing = [...new Set(ids)].filter((id) => !this.events.has(id));
    if (missing.length === 0) return;
    const [stored, flags] = await Promise.all([getEvents(this.#db, missing), getEventFlags(this.#db, missing)]);
    for (const [id, event] of stored) {
      this.events.set(id, this.#view.cached(id) ?? parsePdu(event.pdu as JsonObject, this.#view.version));
      this.flags.set(id, flags.get(id)!);
    }
  }

  /** Loads `ids` and their whole stored auth chains (what state resolution walks). */
  async loadWithAuthChains(ids: Iterable<string>): Promise<void> {
    const list = [...ids];
    await this.load([...list, ...(await getAuthChainIds(this.#db, list))]);
  }

  isRejected = (id: string): boolean => this.flags.get(id)?.rejected === true;
  fetch = (id: string): RoomEvent | undefined => this.events.get(id);
}

function toEntries(state: ReadonlyMap<StateKey, string>): StateEntries {
  return [...state].map(([key, eventId]) => {
    const cut = key.indexOf('\u0000');
    return { type: key.slice(0, cut), stateKey: key.slice(cut + 1), eventId };
  });
}

function withEvent(state: ReadonlyMap<StateKey, string>, event: RoomEvent): Map<StateKey, string> {
  const after = new Map(state);
  if (event.stateKey !== undefined) after.set(stateKeyOf(event.type, event.stateKey), event.eventId);
  return after;
}

/**
 * Plans the persistence of `request.pdu` in `view`'s room, or refuses it. Every event the checks
 * read must already be stored (federation fetches missing auth and prev events first, as
 * outliers or backfill); an unknown one is a NotFound naming it.
 */
export async function planIngest(view: RoomView, request: IngestRequest, deps: IngestDeps): Promise<IngestPlan | RoomFailure> {
  const version = view.version;
  let event: RoomEvent;
  try {
    event = parsePdu(request.pdu, version);
  } catch (error) {
    return roomFailure('BadEvent', `PDU from ${request.origin} is malformed: ${(error as Error).message}`);
  }
  if (event.roomId !== view.roomId) return roomFailure('BadEvent', `PDU ${event.eventId} from ${request.origin} is for room ${event.roomId}, not ${view.roomId}`);
  if (eventSize(request.pdu) > MAX_EVENT_BYTES) return roomFailure('TooLarge', `PDU ${event.eventId} from ${request.origin} is larger than ${MAX_EVENT_BYTES} bytes`);
  try {
    await verifyEventSignatures(request.pdu, version, { lookupKey: deps.lookupKey });
  } catch (error) {
    // Forbidden, not malformed: Synapse answers 403 to an event its origin did not sign.
    return roomFailure('Forbidden', `PDU ${event.eventId} from ${request.origin} has no valid signature: ${(error as Error).message}`);
  }
  // A wrong content hash keeps the event (its ID and signatures are fine) but only in its
  // redacted form: the spec's answer to content altered on the way.
  const redacted = !verifyEventHashes(request.pdu);
  if (redacted) event = parsePdu(redactEvent(request.pdu, version), version);

  const loaded = new Loaded(deps.db, view);
  // Resolution must see the event itself among the states it resolves.
  loaded.events.set(event.eventId, event);
  // v12 rooms leave the create event out of auth_events: its ID is the room ID's.
  const createId = version.roomIdIsCreateEventHash ? `$${view.roomId.slice(1)}` : undefined;
  await loaded.load([...event.authEventIds, ...(createId ? [createId] : [])]);
  const missingAuth = event.authEventIds.filter((id) => !loaded.events.has(id));
  if (missingAuth.length > 0) return roomFailure('NotFound', `auth events of ${event.eventId} are not stored here: ${missingAuth.join(', ')}`);
  const authEvents = event.authEventIds.map((id) => loaded.events.get(id)!);
  const withCreate = [...(createId && loaded.events.has(createId) ? [loaded.events.get(createId)!] : []), ...authEvents];
  const authState = authStateFromEvents(withCreate);
  const byAuthEvents = checkAuthEvents(event, authEvents, { isRejected: loaded.isRejected });
  const authorised = byAuthEvents.allowed ? checkAuth(event, authState) : byAuthEvents;

  if (request.kind === 'outlier') {
    const item: StagedItem = { event, groups: { kind: 'none' }, behind: true, outlier: true, ...(authorised.allowed ? {} : { rejected: authorised.reason }) };
    return authorised.allowed ? { item, outcome: 'accepted', redacted } : { item, outcome: 'rejected', reason: authorised.reason, redacted };
  }

  // The state before the event: its prev events' states, resolved when they differ.
  await loaded.load(event.prevEventIds);
  const prevs = event.prevEventIds.filter((id) => loaded.flags.has(id) && loaded.flags.get(id)!.stateGroupAfter !== undefined);
  let before: { state: Map<StateKey, string>; group: GroupInput };
  const gap = prevs.length < event.prevEventIds.length;
  if (gap && request.kind === 'new' && request.stateBefore === undefined) {
    const unknown = event.prevEventIds.filter((id) => !prevs.includes(id));
    return roomFailure('NotFound', `prev events of ${event.eventId} are not stored here with their state: ${unknown.join(', ')}`);
  }
  if (gap && request.stateBefore !== undefined) {
    // A gap the sender filled with the state at it: those events, stored (as outliers) and
    // checked against their own auth events, are the state before this one.
    await loaded.load(request.stateBefore);
    const unknown = request.stateBefore.filter((id) => !loaded.events.has(id));
    if (unknown.length > 0) return roomFailure('NotFound', `state events before ${event.eventId} are not stored here: ${unknown.slice(0, 10).join(', ')}`);
    const stateEvents = request.stateBefore.map((id) => loaded.events.get(id)!).filter((e) => e.stateKey !== undefined && !loaded.isRejected(e.eventId));
    const across = new Map(stateEvents.map((e) => [stateKeyOf(e.type, e.stateKey!), e.eventId] as const));
    // The prev events we do hold contribute their states too, resolved with the one across
    // the gap (as Synapse resolves the states after every prev event).
    const known = await statesOfGroups(deps.db, prevs.map((id) => loaded.flags.get(id)!.stateGroupAfter!));
    let state = across;
    if (known.length > 0) {
      const sets = [across, ...known];
      await loaded.loadWithAuthChains(sets.flatMap((s) => [...s.values()]));
      state = resolveState(sets, { roomVersion: version, fetchEvent: loaded.fetch, isRejected: loaded.isRejected });
    }
    before = { state, group: { snapshot: toEntries(state) } };
  } else if (prevs.length === 0) {
    // Backfilled history whose prev events we do not have: its auth events (and in v12 rooms
    // the create event they leave out) are all we know of the state before it.
    const state = new Map(withCreate.filter((e) => e.stateKey !== undefined).map((e) => [stateKeyOf(e.type, e.stateKey!), e.eventId] as const));
    before = { state, group: { snapshot: toEntries(state) } };
  } else {
    const groups = [...new Set(prevs.map((id) => loaded.flags.get(id)!.stateGroupAfter!))];
    const states = await statesOfGroups(deps.db, groups);
    if (states.length === 1) {
      before = { state: states[0]!, group: { id: groups[0]!, depth: loaded.flags.get(prevs[0]!)!.stateGroupAfterDepth } };
    } else {
      await loaded.loadWithAuthChains(states.flatMap((s) => [...s.values()]));
      const resolved = resolveState(states, { roomVersion: version, fetchEvent: loaded.fetch, isRejected: loaded.isRejected });
      before = { state: resolved, group: { snapshot: toEntries(resolved) } };
    }
  }
  await loaded.load(before.state.values());
  const byState = authorised.allowed ? checkAuth(event, authStateFromMap(before.state, loaded.fetch)) : authorised;
  const groupsOf = (after: GroupInput | 'before', head?: GroupInput | 'after') => ({ kind: 'explicit' as const, before: before.group, after, ...(head ? { head } : {}) });
  const afterGroup = (accepted: boolean): GroupInput | 'before' => (accepted && event.stateKey !== undefined ? { snapshot: toEntries(withEvent(before.state, event)) } : 'before');

  if (!byState.allowed) {
    // The state after a rejected event is the state before it.
    return { item: { event, groups: groupsOf('before'), behind: true, rejected: byState.reason }, outcome: 'rejected', reason: byState.reason, redacted };
  }
  const verdict = await redactionVerdict(deps.db, event, authStateFromMap(before.state, loaded.fetch));
  if (verdict === 'withheld') {
    const reason = 'a redaction of another room\'s event or of the create event is never served';
    return { item: { event, groups: groupsOf('before'), behind: true, softFailed: true, redactionUnapplied: true }, outcome: 'soft_failed', reason, redacted };
  }
  const unapplied = verdict === 'unapplied' ? { redactionUnapplied: true } : {};
  if (request.kind === 'backfilled') {
    return { item: { event, groups: groupsOf(afterGroup(true)), behind: true, ...unapplied }, outcome: 'accepted', redacted };
  }

  // Soft-fail: allowed by its own history, but not by the room as it is now (e.g. a message of
  // a user banned meanwhile): stored, never served, and not built upon.
  await loaded.load(view.state.values());
  const now = checkAuth(event, authStateFromMap(view.state, loaded.fetch));
  if (!now.allowed) {
    return { item: { event, groups: groupsOf(afterGroup(true)), behind: true, softFailed: true }, outcome: 'soft_failed', reason: now.reason, redacted };
  }

  // At the tip: the current state is the resolution of the states after every forward
  // extremity once this event has replaced its prev events among them.
  const extremities = extremitiesAfter(view.extremities, event);
  const afterState = withEvent(before.state, event);
  let current = afterState;
  if (extremities.length > 1) {
    const others = extremities.filter((x) => x.eventId !== event.eventId).map((x) => x.eventId);
    await loaded.load(others);
    const otherGroups = [...new Set(others.map((id) => loaded.flags.get(id)?.stateGroupAfter).filter((g): g is number => g !== undefined))];
    const sets = [afterState, ...(await statesOfGroups(deps.db, otherGroups))];
    await loaded.loadWithAuthChains(sets.flatMap((s) => [...s.values()]));
    current = resolveState(sets, { roomVersion: version, fetchEvent: loaded.fetch, isRejected: loaded.isRejected });
  }
  const headIsAfter = sameState(current, afterState);
  const changed = [...current].filter(([key, id]) => view.state.get(key) !== id);
  await loaded.load(changed.map(([, id]) => id));
  const memberships: Array<{ userId: string; membership: string | undefined; displayName: string | undefined }> = [];
  const currentState = changed.map(([key, eventId]) => {
    const cut = key.indexOf('\u0000');
    const type = key.slice(0, cut);
    const stateKey = key.slice(cut + 1);
    if (type !== 'm.room.member') return { type, stateKey, eventId, membership: undefined };
    const [membership, displayName] = memberFields(loaded.events.get(eventId)?.content ?? {});
    memberships.push({ userId: stateKey, membership, displayName });
    return { type, stateKey, eventId, membership };
  });
  // The head (the current state) chains later local events; a message on the current state
  // keeps the head it had.
  const stateChanged = changed.length > 0 || event.stateKey !== undefined;
  const after = afterGroup(true);
  const head: GroupInput | 'after' | undefined = !stateChanged && sameState(before.state, view.state) ? undefined : headIsAfter ? 'after' : { snapshot: toEntries(current) };
  return {
    item: { event, groups: groupsOf(after, head), behind: false, currentState, extremities: extremities.map((x) => x.eventId), ...unapplied },
    outcome: 'accepted',
    redacted,
    tip: { state: current, extremities, headIsAfter, memberships },
  };
}

/** The state maps of distinct state groups (duplicates among `groups` read once). */
async function statesOfGroups(db: Queryable, groups: readonly number[]): Promise<Array<Map<StateKey, string>>> {
  return Promise.all([...new Set(groups)].map(async (id) => new Map((await getStateGroupIds(db, id)).map((e) => [stateKeyOf(e.type, e.stateKey), e.eventId] as const))));
}

function sameState(a: ReadonlyMap<StateKey, string>, b: ReadonlyMap<StateKey, string>): boolean {
  if (a.size !== b.size) return false;
  for (const [key, id] of a) if (b.get(key) !== id) return false;
  return true;
}
