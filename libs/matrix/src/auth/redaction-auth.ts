// "Handling redactions" (v3+): a redaction that passed the auth rules is applied to its target
// only when the redacter has the redact level or is on the same server as the target's sender.
import type { RoomEvent } from '../room-event.ts';
import type { AuthResult } from './auth-result.ts';
import { allow, deny } from './auth-result.ts';
import type { AuthState } from './auth-state.ts';
import { domainOf } from './ids.ts';
import { namedPowerLevel, userPowerLevel } from './power-levels.ts';

/** Whether `redaction` may be applied to `target`, judged against `state` (the state at the redaction). */
export function redactionApplies(redaction: RoomEvent, target: RoomEvent, state: AuthState): AuthResult {
  if (redaction.redacts !== target.eventId) {
    return deny('redaction.target', `redaction ${redaction.eventId} redacts ${redaction.redacts ?? '(none)'}, not ${target.eventId}`);
  }
  if (target.roomId !== redaction.roomId) return deny('redaction.wrong_room', `${target.eventId} is in another room`);
  const version = redaction.roomVersion;
  if (userPowerLevel(redaction.sender, state, version) >= namedPowerLevel('redact', state, version)) return allow();
  if (domainOf(redaction.sender) === domainOf(target.sender)) return allow();
  return deny('redaction.level', `${redaction.sender} lacks the redact level to redact ${target.sender}'s event`);
}
