// The plan of a room joined through another server: send_join's state and auth chain, checked
// as the spec asks of a joining server (signatures, content hashes, each event against its own
// auth events, in auth order) and stored as outliers; then our join, which the returned state
// must allow, stored at the tip with that state plus itself as the room's current state. Only
// the plan is made here; the actor applies it to its view and the group commit writes it.
import {
  authStateFromEvents,
  authStateFromMap,
  checkAuth,
  checkAuthEvents,
  parsePdu,
  redactEvent,
  roomIdOfCreateEvent,
  stateKeyOf,
  verifyEventHashes,
  verifyEventSignatures,
  type JsonObject,
  type RoomEvent,
  type RoomVersion,
  type StateKey,
  type VerifyKeyLookup,
} from '@homeserver/matrix';
import { roomFailure, type JoinRemoteRoomRequest, type RoomFailure } from '@homeserver/services';
import { getEventFlags, getEvents, type Queryable } from '@homeserver/storage';
import type { StagedItem, StateEntries, StateMembership } from './persist-batch.ts';

export interface RemoteJoinDeps {
  readonly db: Queryable;
  readonly lookupKey: VerifyKeyLookup;
  /** This server's name: the join must be of one of its users. */
  readonly serverName: string;
}

export interface RemoteJoinPlan {
  /** Outliers first (in auth order), the join last. */
  readonly items: StagedItem[];
  readonly join: RoomEvent;
  /** The current state after the join. */
  readonly state: Map<StateKey, string>;
  /** The state events, for the actor's cache (the auth rules read them). */
  readonly stateEvents: RoomEvent[];
  readonly stored: number;
  readonly rejected: number;
  readonly createSender: string;
}

/** How many signatures are checked at once (key lookups may go to the network). */
const VERIFY_CONCURRENCY = 64;

interface Checked {
  readonly event: RoomEvent;
  readonly redacted: boolean;
}

function membershipOf(event: RoomEvent): StateMembership | undefined {
  if (event.type !== 'm.room.member' || event.stateKey === undefined) return undefined;
  const { membership, displayname, avatar_url: avatarUrl } = event.content;
  return {
    eventId: event.eventId,
    userId: event.stateKey,
    sender: event.sender,
    membership: String(membership),
    ...(typeof displayname === 'string' ? { displayName: displayname } : {}),
    ...(typeof avatarUrl === 'string' ? { avatarUrl } : {}),
  };
}

/** Parses and verifies the signatures of every PDU; a PDU that fails is left out (never stored). */
async function parseAndVerify(
  pdus: readonly JsonObject[],
  roomId: string,
  version: RoomVersion,
  lookupKey: VerifyKeyLookup,
): Promise<{ events: Map<string, Checked>; ids: (string | undefined)[]; dropped: number }> {
  const events = new Map<string, Checked>();
  /** The ID of each PDU that passed, by its index in `pdus`. */
  const ids: (string | undefined)[] = [];
  let dropped = 0;
  const check = async (pdu: JsonObject, index: number): Promise<void> => {
    let event: RoomEvent;
    try {
      event = parsePdu(pdu, version);
      if (event.roomId !== roomId) throw new Error(`it is in room ${event.roomId}`);
      await verifyEventSignatures(pdu, version, { lookupKey });
    } catch {
      dropped++;
      return;
    }
    // A wrong content hash keeps the event in its redacted form, as on any receipt of a PDU.
    const redacted = !verifyEventHashes(pdu);
    events.set(event.eventId, { event: redacted ? parsePdu(redactEvent(pdu, version), version) : event, redacted });
    ids[index] = event.eventId;
  };
  for (let i = 0; i < pdus.length; i += VERIFY_CONCURRENCY) await Promise.all(pdus.slice(i, i + VERIFY_CONCURRENCY).map((pdu, j) => check(pdu, i + j)));
  return { events, ids, dropped };
}

/**
 * Orders events so each comes after its auth events (Kahn's algorithm over the auth DAG; ties
 * by depth then ID, so the order is stable). Events in an auth cycle are left out.
 */
function authOrder(events: ReadonlyMap<string, Checked>): RoomEvent[] {
  const waiting = new Map<string, number>();
  const dependents = new Map<string, string[]>();
  for (const { event } of events.values()) {
    const inSet = event.authEventIds.filter((id) => events.has(id));
    waiting.set(event.eventId, inSet.length);
    for (const id of inSet) dependents.set(id, [...(dependents.get(id) ?? []), event.eventId]);
  }
  const byOrder = (a: RoomEvent, b: RoomEvent) => a.depth - b.depth || (a.eventId < b.eventId ? -1 : 1);
  let ready = [...waiting].filter(([, n]) => n === 0).map(([id]) => events.get(id)!.event).sort(byOrder);
  const ordered: RoomEvent[] = [];
  while (ready.length > 0) {
    const next: RoomEvent[] = [];
    for (const event of ready) {
      ordered.push(event);
      for (const dependent of dependents.get(event.eventId) ?? []) {
        const left = waiting.get(dependent)! - 1;
        waiting.set(dependent, left);
        if (left === 0) next.push(events.get(dependent)!.event);
      }
    }
    ready = next.sort(byOrder);
  }
  return ordered;
}

/** Plans the persistence of `request` into room `roomId`, or refuses it. */
export async function planRemoteJoin(roomId: string, version: RoomVersion, request: JoinRemoteRoomRequest, deps: RemoteJoinDeps): Promise<RemoteJoinPlan | RoomFailure> {
  let join: RoomEvent;
  try {
    join = parsePdu(request.join, version);
  } catch (error) {
    return roomFailure('BadEvent', `the join event for ${roomId} is malformed: ${(error as Error).message}`);
  }
  if (join.roomId !== roomId || join.type !== 'm.room.member' || join.stateKey !== join.sender || join.content['membership'] !== 'join') {
    return roomFailure('BadEvent', `event ${join.eventId} is not a join of its sender to room ${roomId}`);
  }
  if (!join.sender.endsWith(`:${deps.serverName}`)) return roomFailure('BadEvent', `the joining user ${join.sender} is not a user of this server`);
  try {
    await verifyEventSignatures(request.join, version, { lookupKey: deps.lookupKey });
  } catch (error) {
    return roomFailure('BadEvent', `the join event ${join.eventId} has no valid signature: ${(error as Error).message}`);
  }

  const { events: checked, ids, dropped } = await parseAndVerify([...request.authChain, ...request.state], roomId, version, deps.lookupKey);
  checked.delete(join.eventId);
  // Events stored already (a rejoin) are read back, not stored again; they still feed the checks.
  const storedFlags = await getEventFlags(deps.db, [...checked.keys(), ...join.authEventIds]);
  const known = new Map<string, RoomEvent>();
  for (const [id, event] of await getEvents(deps.db, [...storedFlags.keys()])) known.set(id, parsePdu(event.pdu as JsonObject, version));
  const fetch = (id: string): RoomEvent | undefined => checked.get(id)?.event ?? known.get(id);
  const rejected = new Map<string, string>();
  for (const [id, flags] of storedFlags) if (flags.rejected) rejected.set(id, 'rejected when first stored');
  const isRejected = (id: string) => rejected.has(id);

  const createId = version.roomIdIsCreateEventHash ? `$${roomId.slice(1)}` : [...checked.values()].find((c) => c.event.type === 'm.room.create')?.event.eventId;
  const create = createId === undefined ? undefined : fetch(createId);
  if (!create || create.type !== 'm.room.create') return roomFailure('BadEvent', `the answer to the join of ${roomId} from ${request.origin} holds no valid create event`);
  if (version.roomIdIsCreateEventHash && roomIdOfCreateEvent(create) !== roomId) return roomFailure('BadEvent', `the create event ${create.eventId} is not the one of ${roomId}`);
  const createdVersion = create.content['room_version'] ?? '1';
  if (createdVersion !== version.id) return roomFailure('BadEvent', `room ${roomId} was created with version ${String(createdVersion)}, not ${version.id} as make_join said`);

  const items: StagedItem[] = [];
  for (const event of authOrder(checked)) {
    const authEvents = event.authEventIds.map(fetch).filter((e): e is RoomEvent => e !== undefined);
    const withCreate = version.roomIdIsCreateEventHash && event.eventId !== create.eventId ? [create, ...authEvents] : authEvents;
    const byAuthEvents = checkAuthEvents(event, authEvents, { isRejected });
    const verdict = byAuthEvents.allowed ? checkAuth(event, authStateFromEvents(withCreate)) : byAuthEvents;
    if (!verdict.allowed) rejected.set(event.eventId, verdict.reason);
    if (storedFlags.has(event.eventId)) continue;
    items.push({ event, groups: { kind: 'none' }, behind: true, outlier: true, ...(verdict.allowed ? {} : { rejected: verdict.reason }) });
  }
  if (isRejected(create.eventId)) return roomFailure('BadEvent', `the create event of ${roomId} fails the auth rules: ${rejected.get(create.eventId)}`);

  // The state before the join: send_join's state events that passed their checks.
  const before = new Map<StateKey, string>();
  if (version.roomIdIsCreateEventHash) before.set(stateKeyOf('m.room.create', ''), create.eventId);
  const stateEvents: RoomEvent[] = [create];
  for (const id of ids.slice(request.authChain.length)) {
    const event = id === undefined || isRejected(id) ? undefined : fetch(id);
    if (event?.stateKey === undefined) continue;
    before.set(stateKeyOf(event.type, event.stateKey), event.eventId);
    stateEvents.push(event);
  }

  const joinAuth = join.authEventIds.map(fetch);
  const missing = join.authEventIds.filter((_, i) => joinAuth[i] === undefined);
  if (missing.length > 0) return roomFailure('BadEvent', `auth events of the join ${join.eventId} are missing from the answer: ${missing.join(', ')}`);
  const joinAuthEvents = joinAuth as RoomEvent[];
  const byAuthEvents = checkAuthEvents(join, joinAuthEvents, { isRejected });
  const allowed = byAuthEvents.allowed ? checkAuth(join, authStateFromMap(before, fetch)) : byAuthEvents;
  if (!allowed.allowed) return roomFailure('Forbidden', `the room's state does not allow the join ${join.eventId}: ${allowed.reason}`);

  const after = new Map(before).set(stateKeyOf('m.room.member', join.sender), join.eventId);
  const memberships = stateEvents.map(membershipOf).filter((m): m is StateMembership => m !== undefined);
  const currentState = [...after].map(([key, eventId]) => {
    const cut = key.indexOf('\u0000');
    const type = key.slice(0, cut);
    const event = eventId === join.eventId ? join : fetch(eventId);
    const membership = type === 'm.room.member' ? event?.content['membership'] : undefined;
    return { type, stateKey: key.slice(cut + 1), eventId, membership: typeof membership === 'string' ? membership : undefined };
  });
  items.push({
    event: join,
    groups: { kind: 'explicit', before: { snapshot: toEntries(before) }, after: { snapshot: toEntries(after) }, head: 'after' },
    behind: false,
    currentState,
    stateMemberships: memberships,
    extremities: [join.eventId],
  });
  return {
    items,
    join,
    state: after,
    stateEvents,
    stored: items.length - 1,
    rejected: items.filter((item) => item.rejected !== undefined).length + dropped,
    createSender: create.sender,
  };
}

function toEntries(state: ReadonlyMap<StateKey, string>): StateEntries {
  return [...state].map(([key, eventId]) => {
    const cut = key.indexOf('\u0000');
    return { type: key.slice(0, cut), stateKey: key.slice(cut + 1), eventId };
  });
}
