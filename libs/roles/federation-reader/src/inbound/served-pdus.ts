// The one formatter of PDUs served to other servers, and the state and auth chains they ask
// for. A PDU goes out as it was signed, without the local `unsigned` data, in its redacted form
// once a redaction applies to it (Synapse does the same: the redaction is part of the DAG, the
// content is gone).
import { findRoomVersion, redactEvent, type JsonObject } from '@homeserver/matrix';
import { getAuthChainIds, getServableEvents, getStateIdsAtEvent, type Queryable, type StateEntry, type StoredEvent } from '@homeserver/storage';

export function federationPdu(event: StoredEvent, roomVersion: string): JsonObject {
  const { unsigned: _unsigned, ...pdu } = event.pdu as JsonObject;
  if (event.redactedBy === undefined) return pdu;
  const version = findRoomVersion(roomVersion);
  return version ? redactEvent(pdu, version) : pdu;
}

export interface StateAndAuthChain {
  readonly state: StoredEvent[];
  readonly authChain: StoredEvent[];
}

/** State entries of the room before or after `eventId`; undefined when the event's state is not known here. */
export async function stateIdsAt(db: Queryable, eventId: string, when: 'before' | 'after'): Promise<StateEntry[] | undefined> {
  return getStateIdsAtEvent(db, eventId, { when });
}

/** Events of `roomId` by ID in the given order, rejected and missing ones left out. */
export async function loadServable(db: Queryable, roomId: string, ids: readonly string[]): Promise<StoredEvent[]> {
  const events = await getServableEvents(db, roomId, ids);
  const byId = new Map(events.map((e) => [e.eventId, e]));
  return ids.map((id) => byId.get(id)).filter((e): e is StoredEvent => e !== undefined);
}

/** The auth chain (IDs) of `eventIds`, not including them. */
export async function authChainIds(db: Queryable, eventIds: readonly string[]): Promise<string[]> {
  return getAuthChainIds(db, eventIds);
}

/** The full state events of `stateIds` and the union of their auth chains (plus `extraAuthOf`'s). */
export async function stateAndAuthChain(db: Queryable, roomId: string, stateIds: readonly string[], extraAuthOf: readonly string[] = []): Promise<StateAndAuthChain> {
  const state = await loadServable(db, roomId, stateIds);
  const chain = await authChainIds(db, [...stateIds, ...extraAuthOf]);
  const authChain = await loadServable(db, roomId, chain);
  return { state, authChain };
}
