// Our member event from a resident server's template (make_join, make_leave): the resident
// chose prev_events, auth_events and depth on the room's current state; we fill in the content,
// our clock, hashes and signature. A template that is not the membership asked for is refused.
import { randomBytes } from 'node:crypto';
import { buildEvent, isJsonObject, type JsonObject, type JsonValue, type RoomEvent, type RoomVersion } from '@homeserver/matrix';
import type { RoomsDeps } from '../rooms-deps.ts';

/** Event references of a template: plain IDs, or [id, hashes] pairs in room versions 1 and 2. */
function references(value: JsonValue | undefined): string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const ids = value.map((ref) => (Array.isArray(ref) ? ref[0] : ref));
  return ids.every((id): id is string => typeof id === 'string') ? ids : undefined;
}

export interface TemplateTarget {
  readonly version: RoomVersion;
  readonly roomId: string;
  readonly userId: string;
  readonly membership: 'join' | 'leave';
  /** Our content besides `membership` (profile, reason, a client's extra keys). */
  readonly content: JsonObject;
}

/** Our signed event from `template`, or undefined when the template is not `target.membership` of `target.userId`. */
export function buildFromTemplate(deps: Pick<RoomsDeps, 'clock' | 'serverName' | 'signingKey'>, template: JsonObject, target: TemplateTarget): RoomEvent | undefined {
  const { version, roomId, userId, membership } = target;
  const prevEvents = references(template['prev_events']);
  const authEvents = references(template['auth_events']);
  const templateContent = isJsonObject(template['content']) ? template['content'] : {};
  const depth = template['depth'];
  if (template['type'] !== 'm.room.member' || template['state_key'] !== userId || template['sender'] !== userId || template['room_id'] !== roomId) return undefined;
  if (!prevEvents || !authEvents || typeof depth !== 'number' || templateContent['membership'] !== membership) return undefined;
  try {
    return buildEvent(
      {
        type: 'm.room.member',
        stateKey: userId,
        sender: userId,
        // The template's content carries what the resident needs (join_authorised_via_users_server).
        content: { ...target.content, ...templateContent, membership },
        roomId,
        prevEvents,
        authEvents,
        depth,
        originServerTs: deps.clock.now(),
        ...(version.eventIdFormat === 'server-assigned' ? { eventId: `$${randomBytes(18).toString('base64url')}:${deps.serverName}` } : {}),
      },
      { roomVersion: version, serverName: deps.serverName, signingKey: deps.signingKey },
    );
  } catch {
    return undefined;
  }
}
