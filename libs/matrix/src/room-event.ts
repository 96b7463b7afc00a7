// The in-memory shape of a persisted data unit (PDU) that authorization and state resolution
// work on. `parsePdu` (pdu.ts) builds it from wire JSON for any room version; tests and
// builders may construct it directly.
import type { JsonObject } from './json.ts';
import type { RoomVersion } from './room-version.ts';

export interface RoomEvent {
  /** `$...` — computed from the reference hash in v3+, taken from the PDU in v1–v2. */
  readonly eventId: string;
  /** For v12 create events (which carry no room_id) this is the ID derived from the event. */
  readonly roomId: string;
  readonly type: string;
  /** undefined for non-state events; '' is a valid state key. */
  readonly stateKey: string | undefined;
  readonly sender: string;
  readonly content: JsonObject;
  readonly originServerTs: number;
  readonly depth: number;
  /** Event IDs only (v1–v2 [id, hashes] pairs are flattened). */
  readonly authEventIds: readonly string[];
  readonly prevEventIds: readonly string[];
  /** The redacted event of an m.room.redaction: top-level in v1–v10, in content from v11. */
  readonly redacts: string | undefined;
  readonly roomVersion: RoomVersion;
  /** The full wire JSON of the event, as signed and hashed. */
  readonly pdu: JsonObject;
}

/** The (type, state_key) pair under which a state event is stored in a state map. */
export type StateKey = `${string}\u0000${string}`;

export function stateKeyOf(type: string, stateKey: string): StateKey {
  return `${type}\u0000${stateKey}`;
}

export function isStateEvent(event: RoomEvent): boolean {
  return event.stateKey !== undefined;
}

/** A room state: (type, state_key) → event ID. */
export type StateMap = ReadonlyMap<StateKey, string>;
