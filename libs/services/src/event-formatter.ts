// Stored events to the client format (libs/matrix toClientEvent) with the server's unsigned
// data: `age`, `transaction_id` for the sender's own device, for redacted events the
// redacted content plus `redacted_because`, for state events `prev_content`/`replaces_state`,
// and the `m.relations` aggregation of threads (latest event, count, participation), edits
// (the latest replacement by the original sender) and references.
import { parsePdu, redactEvent, roomVersion, toClientEvent, type JsonObject, type RoomEvent, type RoomVersion } from '@homeserver/matrix';
import type { Clock } from './server-context.ts';
import { getEvents, getRelationsFor, getReplacedStateIds, getRoom, getTxnForEvents, type Queryable, type RelationRow, type StoredEvent } from '@homeserver/storage';

export interface FormatOptions {
  /** The reader, for `transaction_id`. Default: none. */
  readonly requester?: { readonly userId: string; readonly deviceId: string };
  /** Omit room_id (sync-style). Default: false. */
  readonly omitRoomId?: boolean;
  /** Add unsigned.m.relations aggregations. Default: true. */
  readonly aggregate?: boolean;
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
    const replaced = await getReplacedStateIds(this.#db, events);
    const relations = options.aggregate === false ? [] : await getRelationsFor(this.#db, events.map((e) => e.eventId), ['m.thread', 'm.replace', 'm.reference']);
    const latestThread = new Map<string, RelationRow>();
    const latestEdit = new Map<string, RelationRow>();
    const senders = new Map(events.map((e) => [e.eventId, e.sender]));
    for (const row of relations) {
      if (row.relType === 'm.thread') latestThread.set(row.relatesTo, row);
      // Only the original sender's edits count.
      if (row.relType === 'm.replace' && row.sender === senders.get(row.relatesTo)) latestEdit.set(row.relatesTo, row);
    }
    const extraIds = [...events.map((e) => e.redactedBy), ...replaced.values(), ...[...latestThread.values(), ...latestEdit.values()].map((r) => r.eventId)];
    const extra = await getEvents(this.#db, extraIds.filter((id): id is string => id !== undefined));
    const own = options.requester ? events.filter((e) => e.sender === options.requester!.userId).map((e) => e.eventId) : [];
    const txns = await getTxnForEvents(this.#db, own);
    const now = this.#clock.now();
    const out: JsonObject[] = [];
    for (const event of events) {
      const parsed = await this.parse(event, { redacted: event.redactedBy !== undefined });
      const unsigned: JsonObject = { age: Math.max(0, now - event.originServerTs) };
      const txn = txns.get(event.eventId);
      if (txn && options.requester && txn.deviceId === options.requester.deviceId) unsigned['transaction_id'] = txn.txnId;
      const redaction = event.redactedBy === undefined ? undefined : extra.get(event.redactedBy);
      if (redaction) unsigned['redacted_because'] = toClientEvent(await this.parse(redaction), { omitRoomId: options.omitRoomId });
      const previous = extra.get(replaced.get(event.eventId) ?? '');
      if (previous) {
        const prev = await this.parse(previous, { redacted: previous.redactedBy !== undefined });
        unsigned['replaces_state'] = prev.eventId;
        unsigned['prev_content'] = prev.content;
        unsigned['prev_sender'] = prev.sender;
      }
      if (event.redactedBy === undefined) {
        const aggregated = await this.#aggregate(event, relations, latestThread, latestEdit, extra, options);
        if (aggregated) unsigned['m.relations'] = aggregated;
      }
      out.push(toClientEvent(parsed, { omitRoomId: options.omitRoomId, unsigned }));
    }
    return out;
  }

  async #aggregate(
    event: StoredEvent,
    relations: readonly RelationRow[],
    latestThread: ReadonlyMap<string, RelationRow>,
    latestEdit: ReadonlyMap<string, RelationRow>,
    extra: ReadonlyMap<string, StoredEvent>,
    options: FormatOptions,
  ): Promise<JsonObject | undefined> {
    const mine = relations.filter((r) => r.relatesTo === event.eventId);
    if (mine.length === 0) return undefined;
    const result: JsonObject = {};
    const thread = latestThread.get(event.eventId);
    const threadEvent = thread ? extra.get(thread.eventId) : undefined;
    if (threadEvent) {
      const replies = mine.filter((r) => r.relType === 'm.thread');
      const user = options.requester?.userId;
      result['m.thread'] = {
        latest_event: (await this.format([threadEvent], { ...options, aggregate: false }))[0]!,
        count: replies.length,
        current_user_participated: user !== undefined && (event.sender === user || replies.some((r) => r.sender === user)),
      };
    }
    const edit = latestEdit.get(event.eventId);
    const editEvent = edit ? extra.get(edit.eventId) : undefined;
    if (editEvent) result['m.replace'] = (await this.format([editEvent], { ...options, aggregate: false }))[0]!;
    const references = mine.filter((r) => r.relType === 'm.reference');
    if (references.length > 0) result['m.reference'] = { chunk: references.map((r) => ({ event_id: r.eventId })) };
    return Object.keys(result).length > 0 ? result : undefined;
  }

  async formatOne(event: StoredEvent, options: FormatOptions = {}): Promise<JsonObject> {
    return (await this.format([event], options))[0]!;
  }
}
