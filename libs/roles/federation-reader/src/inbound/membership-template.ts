// make_join / make_leave / make_knock: an unsigned membership event of a remote user built on
// the room's current state here (prev_events = forward extremities, auth_events chosen by the
// auth rules, depth after the deepest prev), checked against the auth rules before it is
// offered, so a server asking for something the room refuses gets a 403 now rather than a
// rejected send_* later. Restricted joins name a local user able to invite as the authoriser
// (join_authorised_via_users_server), when the joining user is in one of the allowed rooms.
import { forbidden, MatrixError, notFound } from '@homeserver/http';
import {
  authStateFromMap,
  buildEvent,
  checkAuth,
  findRoomVersion,
  MAX_PREV_EVENTS,
  namedPowerLevel,
  parsePdu,
  selectAuthEvents,
  stateKeyOf,
  userPowerLevel,
  type AuthState,
  type JsonObject,
  type JsonValue,
  type RoomEvent,
  type RoomVersion,
  type SigningKey,
  type StateKey,
} from '@homeserver/matrix';
import { currentMembership, getCurrentStateIds, getEvents, getForwardExtremities, type Queryable } from '@homeserver/storage';
import { serverOf } from '../http/id-params.ts';
import { requireAclAllows, requireRoom } from './room-access.ts';

export interface TemplateRequest {
  readonly roomId: string;
  readonly userId: string;
  readonly membership: 'join' | 'leave' | 'knock';
  /** Room versions the asking server supports (make_join's and make_knock's `ver`); undefined: any. */
  readonly supportedVersions?: readonly string[];
  readonly origin: string;
}

export interface TemplateDeps {
  readonly db: Queryable;
  readonly serverName: string;
  readonly signingKey: SigningKey;
  readonly now: () => number;
}

export function incompatibleRoomVersion(roomVersion: string): MatrixError {
  return new MatrixError(400, 'M_INCOMPATIBLE_ROOM_VERSION', `this room uses room version ${roomVersion}, which the requesting server does not support`, {
    extra: { room_version: roomVersion },
  });
}

const AUTH_TYPES = new Set(['m.room.create', 'm.room.power_levels', 'm.room.join_rules', 'm.room.third_party_invite']);

/** The current state IDs, and an auth state over what the membership rules read: the room's rules, the user, and our members (restricted joins). */
async function loadState(db: Queryable, request: TemplateRequest, version: RoomVersion, serverName: string): Promise<{ ids: Map<StateKey, string>; auth: AuthState; localMembers: string[] }> {
  const entries = await getCurrentStateIds(db, request.roomId);
  const ids = new Map(entries.map((e) => [stateKeyOf(e.type, e.stateKey), e.eventId] as const));
  const localMembers = entries.filter((e) => e.type === 'm.room.member' && serverOf(e.stateKey) === serverName).map((e) => e.stateKey);
  const wanted = entries
    .filter((e) => AUTH_TYPES.has(e.type) || (e.type === 'm.room.member' && (e.stateKey === request.userId || serverOf(e.stateKey) === serverName)))
    .map((e) => e.eventId);
  const stored = await getEvents(db, wanted);
  const parsed = new Map<string, RoomEvent>();
  for (const [id, event] of stored) parsed.set(id, parsePdu(event.pdu as JsonObject, version));
  return { ids, auth: authStateFromMap(ids, (id) => parsed.get(id)), localMembers };
}

/** For a restricted join: a local user joined with the invite power level, when the joiner is in an allowed room. */
async function restrictedAuthoriser(db: Queryable, request: TemplateRequest, state: { auth: AuthState; localMembers: readonly string[] }, version: RoomVersion, serverName: string): Promise<string | undefined> {
  const { auth } = state;
  const rules = auth.get('m.room.join_rules', '')?.content;
  const rule = rules?.['join_rule'];
  if (!version.restrictedJoinRule || (rule !== 'restricted' && rule !== 'knock_restricted')) return undefined;
  const current = auth.get('m.room.member', request.userId)?.content['membership'];
  if (current === 'join' || current === 'invite') return undefined;
  const allow = Array.isArray(rules?.['allow']) ? (rules['allow'] as JsonValue[]) : [];
  const allowedRooms = allow
    .map((entry) => (typeof entry === 'object' && entry !== null && !Array.isArray(entry) && entry['type'] === 'm.room_membership' ? entry['room_id'] : undefined))
    .filter((id): id is string => typeof id === 'string');
  let member = false;
  for (const roomId of allowedRooms) if ((await currentMembership(db, roomId, request.userId)) === 'join') member = true;
  if (!member) {
    if (rule === 'knock_restricted') return undefined;
    throw new MatrixError(400, 'M_UNABLE_TO_AUTHORISE_JOIN', `cannot tell whether ${request.userId} is in a room that room ${request.roomId} allows to join`);
  }
  const inviteLevel = namedPowerLevel('invite', auth, version);
  for (const stateKey of state.localMembers) {
    if (auth.get('m.room.member', stateKey)?.content['membership'] !== 'join') continue;
    if (userPowerLevel(stateKey, auth, version) >= inviteLevel) return stateKey;
  }
  throw new MatrixError(400, 'M_UNABLE_TO_GRANT_JOIN', `no user of ${serverName} in room ${request.roomId} may authorise the join of ${request.userId}`);
}

/** The template of `request.membership` for `request.userId`, and the room version. */
export async function membershipTemplate(request: TemplateRequest, deps: TemplateDeps): Promise<{ event: JsonObject; room_version: string }> {
  if (serverOf(request.userId) !== request.origin) throw forbidden(`server ${request.origin} may not make a ${request.membership} event for ${request.userId}`);
  const room = await requireRoom(deps.db, request.roomId);
  await requireAclAllows(deps.db, request.roomId, request.origin);
  const version = findRoomVersion(room.roomVersion);
  if (!version) throw new MatrixError(400, 'M_UNSUPPORTED_ROOM_VERSION', `room ${request.roomId} has room version ${room.roomVersion}, which this server does not support`);
  if (request.supportedVersions && !request.supportedVersions.includes(version.id)) throw incompatibleRoomVersion(version.id);
  if (request.membership === 'knock' && !version.knockJoinRule) throw incompatibleRoomVersion(version.id);
  const state = await loadState(deps.db, request, version, deps.serverName);
  const { ids, auth } = state;
  // A room every user of ours has left is not ours to let anyone into (Synapse: 404).
  if (request.membership !== 'leave' && !state.localMembers.some((userId) => auth.get('m.room.member', userId)?.content['membership'] === 'join')) {
    throw notFound(`no user of ${deps.serverName} is in room ${request.roomId}: it is not an active room here`);
  }
  const content: JsonObject = { membership: request.membership };
  if (request.membership === 'join') {
    const authoriser = await restrictedAuthoriser(deps.db, request, state, version, deps.serverName);
    if (authoriser) content['join_authorised_via_users_server'] = authoriser;
  }
  const prev = (await getForwardExtremities(deps.db, request.roomId)).slice(0, MAX_PREV_EVENTS);
  const depth = Math.max(0, ...prev.map((p) => p.depth)) + 1;
  const selectable = { type: 'm.room.member', stateKey: request.userId, sender: request.userId, content, roomVersion: version };
  const fields = {
    type: 'm.room.member',
    sender: request.userId,
    stateKey: request.userId,
    content,
    roomId: request.roomId,
    prevEvents: prev.map((p) => p.eventId),
    authEvents: selectAuthEvents(selectable, ids),
    depth,
    originServerTs: deps.now(),
  };
  // Checked as a finished event signed by us (a restricted join's authoriser signature is ours).
  const probe = buildEvent({ ...fields, ...(version.eventIdFormat === 'server-assigned' ? { eventId: `$probe:${deps.serverName}` } : {}) }, { roomVersion: version, serverName: deps.serverName, signingKey: deps.signingKey });
  const allowed = checkAuth(probe, auth);
  if (!allowed.allowed) throw forbidden(`${request.userId} may not ${request.membership} room ${request.roomId}: ${allowed.reason}`);
  const { hashes: _hashes, signatures: _signatures, event_id: _eventId, ...template } = probe.pdu;
  return { event: { ...template, origin: deps.serverName }, room_version: version.id };
}
