// The stripped form of a state event (invite_state, knock_state): what a user who is not in the
// room may know of it. Full events go through the one client formatter (libs/services EventFormatter).
import type { StoredEvent } from '@homeserver/storage';

export function strippedState(event: StoredEvent): Record<string, unknown> {
  return { type: event.type, state_key: event.stateKey ?? '', sender: event.sender, content: event.pdu['content'] ?? {} };
}
