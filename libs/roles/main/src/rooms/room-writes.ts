// Shared plumbing of the write endpoints: sending through the RoomClient, turning domain
// failures into MatrixErrors, waiting for read-your-writes, and profile fields for joins.
import { randomBytes } from 'node:crypto';
import { MatrixError } from '@homeserver/http';
import { encodeCanonicalJson, type JsonObject } from '@homeserver/matrix';
import type { EventTemplate, RoomFailure } from '@homeserver/services';
import { getCurrentStateEvent, getEvent, getProfile } from '@homeserver/storage';
import { removeGuestsIfRevoked } from '../guest/guest-kick.ts';
import type { RoomsDeps } from './rooms-deps.ts';

/** The Matrix error for a room input's typed failure (the only place statuses are chosen). */
export function failureError(failure: RoomFailure): MatrixError {
  switch (failure.kind) {
    case 'Forbidden':
      return new MatrixError(403, 'M_FORBIDDEN', failure.reason);
    case 'NotFound':
      return new MatrixError(404, 'M_NOT_FOUND', failure.reason);
    case 'Conflict':
      return new MatrixError(400, 'M_ROOM_IN_USE', failure.reason);
    case 'Unavailable':
      return new MatrixError(503, 'M_UNKNOWN', failure.reason, { headers: { 'Retry-After': '1' } });
    case 'BadEvent':
      return new MatrixError(400, 'M_BAD_JSON', failure.reason);
    case 'TooLarge':
      return new MatrixError(413, 'M_TOO_LARGE', failure.reason);
    case 'UnsupportedRoomVersion':
      return new MatrixError(400, 'M_UNSUPPORTED_ROOM_VERSION', failure.reason);
  }
}

/**
 * As Synapse: a redaction (from /redact or /send, `redacts` at the top or in content) may not
 * target an event this server holds in another room; it would sit in this room aimed at nothing
 * in it. An unknown target is allowed (it may arrive later).
 */
async function checkRedactionTarget(deps: RoomsDeps, roomId: string, template: EventTemplate): Promise<void> {
  if (template.type !== 'm.room.redaction') return;
  const target = template.redacts ?? template.content['redacts'];
  if (typeof target !== 'string') return;
  const known = await getEvent(deps.db, target);
  if (known !== undefined && known.roomId !== roomId) {
    throw new MatrixError(400, 'M_UNKNOWN', `cannot redact event ${target} from room ${roomId}: it belongs to a different room`);
  }
}

/**
 * The current state event that `template` would only repeat: same type, state key, sender and
 * content (as Synapse's deduplication: re-sending state, or joining again with the same profile,
 * answers the existing event instead of adding one). Other membership changes always send.
 */
async function repeatedState(deps: RoomsDeps, roomId: string, template: EventTemplate): Promise<string | undefined> {
  if (template.stateKey === undefined) return undefined;
  if (template.type === 'm.room.member' && template.content['membership'] !== 'join') return undefined;
  const current = await getCurrentStateEvent(deps.db, roomId, { type: template.type, stateKey: template.stateKey });
  if (!current || current.sender !== template.sender) return undefined;
  const content = (current.pdu['content'] ?? {}) as JsonObject;
  return encodeCanonicalJson(content) === encodeCanonicalJson(template.content) ? current.eventId : undefined;
}

/** Sends one event; resolves with its ID once this process can read it. */
export async function sendOrThrow(deps: RoomsDeps, roomId: string, template: EventTemplate): Promise<string> {
  await checkRedactionTarget(deps, roomId, template);
  const repeated = await repeatedState(deps, roomId, template);
  if (repeated !== undefined) return repeated;
  const result = await deps.rooms.sendEvent(roomId, template);
  // As in Synapse, writing to a room the server does not know is "not in room", not "no such room".
  if (!result.ok && result.kind === 'NotFound') throw new MatrixError(403, 'M_FORBIDDEN', `user ${template.sender} is not in room ${roomId}`);
  if (!result.ok) throw failureError(result);
  await deps.waitForEvents?.(result);
  await removeGuestsIfRevoked(deps, roomId, template);
  return result.eventId;
}

/** A member event's content for `membership`, carrying the user's profile on joins (and invites of local users). */
export async function memberContent(deps: RoomsDeps, userId: string, membership: string, extra: JsonObject = {}): Promise<JsonObject> {
  const content: JsonObject = { ...extra, membership };
  if (membership === 'join' || membership === 'invite' || membership === 'knock') {
    const profile = await getProfile(deps.db, userId);
    if (profile?.displayname) content['displayname'] = profile.displayname;
    if (profile?.avatarUrl) content['avatar_url'] = profile.avatarUrl;
  }
  return content;
}

/**
 * The answer a shadow-banned user gets instead of a send (Synapse's shadow ban): an event ID in
 * the usual shape for an event that was never created, so the client sees success.
 */
export function shadowEventId(): string {
  return `$${randomBytes(32).toString('base64url').slice(0, 43)}`;
}
