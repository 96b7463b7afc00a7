// Turning a client's event template into a signed PDU of the room and authorizing it against
// the actor's view: prev_events are the forward extremities, auth_events are picked by the
// auth rules' selection, depth follows the prev events, then hashes, signature and event ID
// per room version (libs/matrix buildEvent), then checkAuth against the current state.
import { randomBytes } from 'node:crypto';
import {
  authStateFromMap,
  authTypesForEvent,
  buildEvent,
  checkAuth,
  EventSizeError,
  MAX_PREV_EVENTS,
  namedPowerLevel,
  selectAuthEvents,
  userPowerLevel,
  type RoomEvent,
  type SigningKey,
} from '@homeserver/matrix';
import { roomFailure, type EventTemplate, type RoomFailure } from '@homeserver/services';
import { getEvent, type Queryable } from '@homeserver/storage';
import { memberFields, type Extremity, type RoomView } from './room-view.ts';

export interface BuildDeps {
  readonly db: Queryable;
  readonly serverName: string;
  readonly signingKey: SigningKey;
  readonly now: () => number;
}

/** Builds and authorizes one event on top of `view` (the view is not changed). */
export async function buildAndAuthorize(view: RoomView, template: EventTemplate, deps: BuildDeps): Promise<RoomEvent | RoomFailure> {
  const selectable = { type: template.type, stateKey: template.stateKey, sender: template.sender, content: template.content, roomVersion: view.version };
  const authTypes = authTypesForEvent(selectable);
  // Power levels and create are also read by the extra redaction check below.
  await view.ensureLoaded(deps.db, [...authTypes, { type: 'm.room.create', stateKey: '' }, { type: 'm.room.power_levels', stateKey: '' }]);
  const prev = [...view.extremities].sort((a, b) => b.depth - a.depth).slice(0, MAX_PREV_EVENTS);
  const depth = Math.max(0, ...prev.map((p) => p.depth)) + 1;
  let event: RoomEvent;
  try {
    event = buildEvent(
      {
        type: template.type,
        sender: template.sender,
        content: template.content,
        roomId: view.roomId,
        stateKey: template.stateKey,
        prevEvents: prev.map((p) => p.eventId),
        authEvents: selectAuthEvents(selectable, view.state),
        depth,
        originServerTs: deps.now(),
        redacts: template.redacts,
        eventId: view.version.eventIdFormat === 'server-assigned' ? `$${randomBytes(12).toString('base64url')}:${deps.serverName}` : undefined,
      },
      { roomVersion: view.version, serverName: deps.serverName, signingKey: deps.signingKey },
    );
  } catch (error) {
    // Over the spec's size limits: 413 M_TOO_LARGE at the edge, as Synapse answers.
    if (error instanceof EventSizeError) return roomFailure('TooLarge', `cannot build a ${template.type} event: ${error.message}`);
    return roomFailure('BadEvent', `cannot build a ${template.type} event: ${(error as Error).message}`);
  }
  // parsePdu (in buildEvent) checked the whole event's size: over it, EventSizeError above.
  const state = authStateFromMap(view.state, (id) => view.cached(id));
  const result = checkAuth(event, state);
  if (!result.allowed) return roomFailure('Forbidden', result.reason);
  // The parsed event, not the template: from v11 a redaction sent through /send names its
  // target in content.redacts, and it must pass the same check.
  if (event.type === 'm.room.redaction' && event.redacts !== undefined) {
    const target = await getEvent(deps.db, event.redacts);
    if (target && target.roomId === view.roomId && target.sender !== template.sender) {
      const level = userPowerLevel(template.sender, state, view.version);
      if (level < namedPowerLevel('redact', state, view.version)) {
        return roomFailure('Forbidden', `${template.sender} may not redact events of ${target.sender} without the redact power level`);
      }
    }
  }
  return event;
}

/** Applies an accepted event at the tip to the view (state, members, extremities, depth). */
export function applyToView(view: RoomView, event: RoomEvent): void {
  view.remember(event);
  if (event.stateKey !== undefined) view.state.set(`${event.type}\u0000${event.stateKey}`, event.eventId);
  if (event.type === 'm.room.member' && event.stateKey !== undefined) view.setMembership(event.stateKey, ...memberFields(event.content));
  view.extremities = extremitiesAfter(view.extremities, event);
  view.maxDepth = Math.max(view.maxDepth, event.depth);
}

/** The forward extremities once `event` is at the tip: its prev events stop being extremities. */
export function extremitiesAfter(extremities: readonly Extremity[], event: RoomEvent): Extremity[] {
  const referenced = new Set(event.prevEventIds);
  return [...extremities.filter((x) => !referenced.has(x.eventId)), { eventId: event.eventId, depth: event.depth }];
}
