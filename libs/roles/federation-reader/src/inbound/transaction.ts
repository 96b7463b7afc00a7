// One inbound transaction (PUT /send/{txnId}): its PDUs grouped by room, rooms in parallel,
// each room's PDUs in the order sent, each through the room input at the tip after filling a
// gap before it (events fetched for a gap may be bridged with the sender's state); per-PDU results keyed by event ID ({} when stored, rejected or soft-failed,
// {error} when refused unstored);
// then its EDUs to their writers. A PDU's failure never fails the transaction; only a part of
// this server being unreachable does (the sender retries the whole transaction later).
import type { Federation } from '@homeserver/federation';
import { computeEventId, eventSize, findRoomVersion, isJsonObject, MAX_EVENT_BYTES, parsePdu, type JsonObject, type RoomEvent } from '@homeserver/matrix';
import type { IngestReply, RoomClient } from '@homeserver/services';
import { getRoom, type Queryable } from '@homeserver/storage';
import type { Logger } from 'pino';
import { processEdus } from './edu-handlers.ts';
import type { EduSink } from './edus.ts';
import { fetchMissingAuthEvents, fillPrevEvents } from './missing-events.ts';
import { aclAllows } from './room-access.ts';

export interface TransactionDeps {
  readonly db: Queryable;
  readonly serverName: string;
  readonly federation: Federation;
  readonly rooms: RoomClient;
  readonly edus: EduSink;
  readonly logger: Logger;
}

export interface InboundTransaction {
  readonly origin: string;
  readonly txnId: string;
  readonly pdus: readonly unknown[];
  readonly edus: readonly unknown[];
}

export type PduResult = Record<string, never> | { readonly error: string };

/** The room ID a raw PDU names, if any. */
function roomIdOf(pdu: unknown): string | undefined {
  return isJsonObject(pdu) && typeof pdu['room_id'] === 'string' ? pdu['room_id'] : undefined;
}

async function handlePdu(roomId: string, version: NonNullable<ReturnType<typeof findRoomVersion>>, pdu: JsonObject, txn: InboundTransaction, deps: TransactionDeps): Promise<[string, PduResult] | undefined> {
  const refuse = (eventId: string, reason: string): [string, PduResult] => {
    deps.logger.warn({ origin: txn.origin, txnId: txn.txnId, roomId, eventId, reason }, 'refused a PDU');
    return [eventId, { error: reason }];
  };
  let event: RoomEvent;
  try {
    // Oversized PDUs fail parsing too, but are answered by event ID like any other refusal.
    if (eventSize(pdu) > MAX_EVENT_BYTES) return refuse(computeEventId(pdu, version), `PDU is larger than ${MAX_EVENT_BYTES} bytes`);
    event = parsePdu(pdu, version);
  } catch (error) {
    deps.logger.warn({ origin: txn.origin, txnId: txn.txnId, roomId, reason: (error as Error).message }, 'refused a malformed PDU');
    return undefined;
  }
  let reply: IngestReply = await deps.rooms.ingest(roomId, { pdu, origin: txn.origin, kind: 'new' });
  if (!reply.ok && reply.kind === 'NotFound') {
    await fetchMissingAuthEvents(event, txn.origin, deps).catch((error: unknown) => deps.logger.warn({ err: error, eventId: event.eventId }, 'could not fetch missing auth events'));
    await fillPrevEvents(event, txn.origin, deps);
    // A pushed PDU whose prev events the sender would not give stays refused (as Synapse):
    // trusting the sender's state at them could make that state the room's. Only the events
    // fetched above may be bridged with the sender's state.
    reply = await deps.rooms.ingest(roomId, { pdu, origin: txn.origin, kind: 'new' });
  }
  if (!reply.ok) return refuse(event.eventId, `${reply.kind}: ${reply.reason}`);
  // Synapse answers {} for both: the PDU was handled (stored, marked rejected or soft-failed,
  // never served); an {error} would make the sender retry or give up on something final.
  if (reply.outcome === 'rejected') {
    deps.logger.warn({ origin: txn.origin, txnId: txn.txnId, roomId, eventId: event.eventId, reason: reply.reason }, 'rejected a PDU');
  }
  if (reply.outcome === 'soft_failed') {
    deps.logger.warn({ origin: txn.origin, txnId: txn.txnId, roomId, eventId: event.eventId, reason: reply.reason }, 'soft-failed a PDU');
  }
  if (reply.redacted) deps.logger.warn({ origin: txn.origin, eventId: event.eventId }, 'stored a PDU redacted: its content hash did not match');
  return [event.eventId, {}];
}

async function handleRoom(roomId: string, pdus: readonly JsonObject[], txn: InboundTransaction, deps: TransactionDeps): Promise<Array<[string, PduResult]>> {
  const room = await getRoom(deps.db, roomId);
  const version = room ? findRoomVersion(room.roomVersion) : undefined;
  if (!room || !version) {
    deps.logger.info({ origin: txn.origin, roomId, count: pdus.length }, 'dropped PDUs of a room not held here');
    return [];
  }
  const results: Array<[string, PduResult]> = [];
  const allowed = await aclAllows(deps.db, roomId, txn.origin);
  for (const pdu of pdus) {
    if (!allowed) {
      try {
        const eventId = parsePdu(pdu, version).eventId;
        const reason = `server ${txn.origin} is banned from room ${roomId} by its server ACL`;
        results.push([eventId, { error: reason }]);
        deps.logger.warn({ origin: txn.origin, txnId: txn.txnId, roomId, eventId, reason }, 'refused a PDU');
      } catch {
        // Malformed and refused anyway.
      }
      continue;
    }
    const result = await handlePdu(roomId, version, pdu, txn, deps);
    if (result) results.push(result);
  }
  return results;
}

export async function processTransaction(txn: InboundTransaction, deps: TransactionDeps): Promise<{ pdus: Record<string, PduResult> }> {
  const byRoom = new Map<string, JsonObject[]>();
  for (const pdu of txn.pdus) {
    const roomId = roomIdOf(pdu);
    if (roomId === undefined) {
      deps.logger.warn({ origin: txn.origin, txnId: txn.txnId }, 'refused a PDU without a room ID');
      continue;
    }
    let list = byRoom.get(roomId);
    if (!list) byRoom.set(roomId, (list = []));
    list.push(pdu as JsonObject);
  }
  const perRoom = await Promise.all([...byRoom].map(([roomId, pdus]) => handleRoom(roomId, pdus, txn, deps)));
  await processEdus(txn, deps);
  return { pdus: Object.fromEntries(perRoom.flat()) };
}
