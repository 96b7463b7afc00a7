// The one formatter of stored events for clients, whichever endpoint serves them (/sync,
// /messages, /context, /event, the legacy sync endpoints): the client event shape with the
// server's unsigned data: `age`, `transaction_id` for the sender's own device, for redacted events the
// redacted content plus `redacted_by` and `redacted_because`, for state events `prev_content`/`replaces_state`,
// and the `m.relations` aggregation of threads (latest event, count, participation), edits
// (the latest replacement by the original sender) and references.
import { parsePdu, redactContent, redactEvent, roomVersion, type JsonObject, type RoomEvent, type RoomVersion } from '@homeserver/matrix';
import { BoundedCache } from '../process/bounded-cache.ts';
import type { Clock } from '../process/server-context.ts';
import { getEvents, getRelationsFor, getReplacedStateIds, getRoom, getTxnForEvents, type Queryable, type RelationRow, type StoredEvent } from '@homeserver/storage';

export interface FormatOptions {
  /** The reader, for `transaction_id`. Default: none. */
  readonly requester?: { readonly userId: string; readonly deviceId: string };
  /** Omit room_id (sync-style). Default: false. */
  readonly omitRoomId?: boolean;
  /** Add unsigned.m.relations aggregations. Default: true. */
  readonly aggregate?: boolean;
  /** The events' room version, when the caller knows it (one room's events). Default: looked up per room. */
  readonly roomVersion?: RoomVersion;
  /**
   * Which state event each of these replaced, when the caller knows (sync reads it from its
   * cached state groups). Default: looked up in the database.
   */
  readonly replaced?: ReadonlyMap<string, string>;
  /**
   * Every event that can relate to these, already loaded (a sync window holding everything after
   * them): aggregations are read from these instead of the database. Default: the database.
   */
  readonly relationsFrom?: readonly StoredEvent[];
  /**
   * The transaction IDs of these events, when the caller read them with the events (an event
   * without an entry was sent without one). Default: looked up in the database.
   */
  readonly txns?: ReadonlyMap<string, { readonly userId: string; readonly deviceId: string; readonly txnId: string }>;
}

const AGGREGATED = ['m.thread', 'm.replace', 'm.reference'];

/** The relations among `candidates` to any of `targets` (accepted, unredacted), oldest first, as getRelationsFor reads them. */
function relationsAmong(candidates: readonly StoredEvent[], targets: ReadonlySet<string>): RelationRow[] {
  const rows: RelationRow[] = [];
  for (const event of candidates) {
    if (event.rejected !== undefined || event.redactedBy !== undefined) continue;
    const relation = (event.pdu['content'] as JsonObject | undefined)?.['m.relates_to'];
    if (relation === null || typeof relation !== 'object' || Array.isArray(relation)) continue;
    const relatesTo = relation['event_id'];
    const relType = relation['rel_type'];
    if (typeof relatesTo !== 'string' || typeof relType !== 'string' || !targets.has(relatesTo) || !AGGREGATED.includes(relType)) continue;
    rows.push({ relatesTo, relType, eventId: event.eventId, sender: event.sender, streamOrdering: event.streamOrdering });
  }
  return rows.sort((a, b) => a.streamOrdering - b.streamOrdering);
}

/**
 * A stored event in the client format, read from its stored fields and PDU content without
 * parsing the PDU again (it was checked when persisted): the shape of libs/matrix toClientEvent.
 */
function clientEventOf(event: StoredEvent, options: { omitRoomId?: boolean; unsigned?: JsonObject; redactedIn?: RoomVersion }): JsonObject {
  let content = (event.pdu['content'] ?? {}) as JsonObject;
  if (options.redactedIn) content = redactContent(event.type, content, options.redactedIn);
  const out: JsonObject = { event_id: event.eventId, type: event.type, sender: event.sender, origin_server_ts: event.originServerTs };
  if (options.omitRoomId !== true) out['room_id'] = event.roomId;
  if (event.stateKey !== undefined) out['state_key'] = event.stateKey;
  if (event.type === 'm.room.redaction' && event.redacts !== undefined) {
    // In both places whatever the room version, as toClientEvent does for old and new clients.
    out['redacts'] = event.redacts;
    if (content['redacts'] === undefined) content = { ...content, redacts: event.redacts };
  }
  out['content'] = content;
  if (options.unsigned !== undefined && Object.keys(options.unsigned).length > 0) out['unsigned'] = options.unsigned;
  return out;
}

export class EventFormatter {
  readonly #db: Queryable;
  readonly #clock: Clock;
  // A room's version never changes; bounded, as every room ever formatted would otherwise stay.
  readonly #versions = new BoundedCache<string, RoomVersion>(10_000);

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
  async parse(event: StoredEvent, options: { redacted?: boolean; roomVersion?: RoomVersion } = {}): Promise<RoomEvent> {
    const version = options.roomVersion ?? (await this.versionOf(event.roomId));
    const pdu = event.pdu as JsonObject;
    return parsePdu(options.redacted ? redactEvent(pdu, version) : pdu, version);
  }

  async format(events: readonly StoredEvent[], options: FormatOptions = {}): Promise<JsonObject[]> {
    const replaced = options.replaced ?? (await getReplacedStateIds(this.#db, events));
    const ids = events.map((e) => e.eventId);
    const relations =
      options.aggregate === false || events.length === 0
        ? []
        : options.relationsFrom
          ? relationsAmong(options.relationsFrom, new Set(ids))
          : await getRelationsFor(this.#db, ids, AGGREGATED);
    const latestThread = new Map<string, RelationRow>();
    const latestEdit = new Map<string, RelationRow>();
    const senders = new Map(events.map((e) => [e.eventId, e.sender]));
    for (const row of relations) {
      if (row.relType === 'm.thread') latestThread.set(row.relatesTo, row);
      // Only the original sender's edits count.
      if (row.relType === 'm.replace' && row.sender === senders.get(row.relatesTo)) latestEdit.set(row.relatesTo, row);
    }
    const extraIds = [...events.map((e) => e.redactedBy), ...replaced.values(), ...[...latestThread.values(), ...latestEdit.values()].map((r) => r.eventId)];
    const known = new Map((options.relationsFrom ?? []).map((e) => [e.eventId, e]));
    const wanted = extraIds.filter((id): id is string => id !== undefined);
    const extra = await getEvents(this.#db, wanted.filter((id) => !known.has(id)));
    for (const id of wanted) if (known.has(id)) extra.set(id, known.get(id)!);
    const own = options.requester ? events.filter((e) => e.sender === options.requester!.userId).map((e) => e.eventId) : [];
    const txns = options.txns ?? (await getTxnForEvents(this.#db, own));
    const now = this.#clock.now();
    // Room versions are needed only to redact content: looked up once, before the loop, for the
    // events that need one, so the loop below stays synchronous (an answer formats thousands).
    const versions = new Map<string, RoomVersion>();
    for (const e of [...events, ...extra.values()].filter((some) => some.redactedBy !== undefined)) {
      if (!versions.has(e.roomId)) versions.set(e.roomId, options.roomVersion ?? (await this.versionOf(e.roomId)));
    }
    const render = (e: StoredEvent, unsigned?: JsonObject): JsonObject =>
      clientEventOf(e, { omitRoomId: options.omitRoomId, unsigned, redactedIn: e.redactedBy === undefined ? undefined : versions.get(e.roomId) });
    const relationsOf = new Map<string, RelationRow[]>();
    for (const row of relations) {
      const rows = relationsOf.get(row.relatesTo);
      if (rows) rows.push(row);
      else relationsOf.set(row.relatesTo, [row]);
    }
    const out: JsonObject[] = [];
    for (const event of events) {
      const unsigned: JsonObject = { age: Math.max(0, now - event.originServerTs) };
      const txn = txns.get(event.eventId);
      // Only to the device that sent it (given txns cover every sender's events, not just the reader's).
      if (txn && options.requester && event.sender === options.requester.userId && txn.deviceId === options.requester.deviceId) unsigned['transaction_id'] = txn.txnId;
      const redaction = event.redactedBy === undefined ? undefined : extra.get(event.redactedBy);
      if (redaction) {
        // Both, as Synapse serves them (clients and Sytest read either).
        unsigned['redacted_by'] = redaction.eventId;
        unsigned['redacted_because'] = render(redaction);
      }
      const previous = extra.get(replaced.get(event.eventId) ?? '');
      if (previous) {
        const prev = render(previous);
        unsigned['replaces_state'] = previous.eventId;
        unsigned['prev_content'] = prev['content']!;
        unsigned['prev_sender'] = previous.sender;
      }
      const mine = event.redactedBy === undefined ? relationsOf.get(event.eventId) : undefined;
      if (mine) {
        const aggregated = await this.#aggregate(event, mine, latestThread, latestEdit, extra, options);
        if (aggregated) unsigned['m.relations'] = aggregated;
      }
      out.push(render(event, unsigned));
    }
    return out;
  }

  /** The m.relations of `event` from its relations `mine` (one or more). */
  async #aggregate(
    event: StoredEvent,
    mine: readonly RelationRow[],
    latestThread: ReadonlyMap<string, RelationRow>,
    latestEdit: ReadonlyMap<string, RelationRow>,
    extra: ReadonlyMap<string, StoredEvent>,
    options: FormatOptions,
  ): Promise<JsonObject | undefined> {
    const result: JsonObject = {};
    const thread = latestThread.get(event.eventId);
    const threadEvent = thread ? extra.get(thread.eventId) : undefined;
    if (threadEvent) {
      const replies = mine.filter((r) => r.relType === 'm.thread');
      const user = options.requester?.userId;
      result['m.thread'] = {
        latest_event: (await this.format([threadEvent], { ...options, aggregate: false, txns: undefined }))[0]!,
        count: replies.length,
        current_user_participated: user !== undefined && (event.sender === user || replies.some((r) => r.sender === user)),
      };
    }
    const edit = latestEdit.get(event.eventId);
    const editEvent = edit ? extra.get(edit.eventId) : undefined;
    if (editEvent) result['m.replace'] = (await this.format([editEvent], { ...options, aggregate: false, txns: undefined }))[0]!;
    const references = mine.filter((r) => r.relType === 'm.reference');
    if (references.length > 0) result['m.reference'] = { chunk: references.map((r) => ({ event_id: r.eventId })) };
    return Object.keys(result).length > 0 ? result : undefined;
  }

  async formatOne(event: StoredEvent, options: FormatOptions = {}): Promise<JsonObject> {
    return (await this.format([event], options))[0]!;
  }
}
