// Stored events to the client format (libs/matrix toClientEvent) with the server's unsigned
// data: `age`, `transaction_id` for the sender's own device, and for redacted events the
// redacted content plus `redacted_because`.
import { parsePdu, redactEvent, roomVersion, toClientEvent, type JsonObject, type RoomEvent, type RoomVersion } from '@homeserver/matrix';
import type { Clock } from '@homeserver/services';
import { getEvents, getRoom, getTxnForEvents, type Queryable, type StoredEvent } from '@homeserver/storage';

export interface FormatOptions {
  /** The reader, for `transaction_id`. Default: none. */
  readonly requester?: { readonly userId: string; readonly deviceId: string };
  /** Omit room_id (sync-style). Default: false. */
  readonly omitRoomId?: boolean;
}

export class EventFormatter {
  readonly #db: Queryable;
  readonly #clock: Clock;
  readonly #versions = new Map<string, RoomVersion>();

  constructor(db: Queryable, clock: Clock) {
    this.#db = db;
    this.#clock = clock;
  }

  async versionOf(roomId: string): Promise<RoomVersion> {
    let version = this.#versions.get(roomId);
    if (!version) {
      const room = await getRoom(this.#db, roomId);
      version = roomVersion(room?.roomVersion ?? '10');
      this.#versions.set(roomId, version);
    }
    return version;
  }

  /** The parsed event as persisted (redaction applied when `redacted`). */
  async parse(event: StoredEvent, options: { redacted?: boolean } = {}): Promise<RoomEvent> {
    const version = await this.versionOf(event.roomId);
    const pdu = event.pdu as JsonObject;
    return parsePdu(options.redacted ? redactEvent(pdu, version) : pdu, version);
  }

  async format(events: readonly StoredEvent[], options: FormatOptions = {}): Promise<JsonObject[]> {
    const redactionIds = events.map((e) => e.redactedBy).filter((id): id is string => id !== undefined);
    const redactions = await getEvents(this.#db, redactionIds);
    const own = options.requester ? events.filter((e) => e.sender === options.requester!.userId).map((e) => e.eventId) : [];
    const txns = await getTxnForEvents(this.#db, own);
    const now = this.#clock.now();
    const out: JsonObject[] = [];
    for (const event of events) {
      const parsed = await this.parse(event, { redacted: event.redactedBy !== undefined });
      const unsigned: JsonObject = { age: Math.max(0, now - event.originServerTs) };
      const txn = txns.get(event.eventId);
      if (txn && options.requester && txn.deviceId === options.requester.deviceId) unsigned['transaction_id'] = txn.txnId;
      const redaction = event.redactedBy === undefined ? undefined : redactions.get(event.redactedBy);
      if (redaction) unsigned['redacted_because'] = toClientEvent(await this.parse(redaction), { omitRoomId: options.omitRoomId });
      out.push(toClientEvent(parsed, { omitRoomId: options.omitRoomId, unsigned }));
    }
    return out;
  }

  async formatOne(event: StoredEvent, options: FormatOptions = {}): Promise<JsonObject> {
    return (await this.format([event], options))[0]!;
  }
}
