// Sync filters (filter.yaml): the parsed shape and the pure matching the sync role applies.
// parseFilter checks a client's filter JSON and fills defaults; validation failures throw
// InvalidFilterError naming the field, which the HTTP layer turns into M_BAD_JSON.

export class InvalidFilterError extends Error {
  override name = 'InvalidFilterError';
}

export interface EventFilter {
  /** Max events to return; undefined = the server default. */
  readonly limit: number | undefined;
  readonly types: readonly string[] | undefined;
  readonly notTypes: readonly string[];
  readonly senders: readonly string[] | undefined;
  readonly notSenders: readonly string[];
}

export interface RoomEventFilter extends EventFilter {
  readonly rooms: readonly string[] | undefined;
  readonly notRooms: readonly string[];
  readonly lazyLoadMembers: boolean;
  readonly includeRedundantMembers: boolean;
  readonly containsUrl: boolean | undefined;
  readonly unreadThreadNotifications: boolean;
}

export interface RoomFilter {
  readonly rooms: readonly string[] | undefined;
  readonly notRooms: readonly string[];
  readonly includeLeave: boolean;
  readonly timeline: RoomEventFilter;
  readonly state: RoomEventFilter;
  readonly ephemeral: RoomEventFilter;
  readonly accountData: RoomEventFilter;
}

export interface Filter {
  readonly eventFields: readonly string[] | undefined;
  readonly eventFormat: 'client' | 'federation';
  readonly presence: EventFilter;
  readonly accountData: EventFilter;
  readonly room: RoomFilter;
}

type Obj = Record<string, unknown>;

function objectAt(value: unknown, where: string): Obj {
  if (value === undefined) return {};
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InvalidFilterError(`parsing filter: ${where} must be an object, got ${JSON.stringify(value)}`);
  }
  return value as Obj;
}

function stringsAt(obj: Obj, key: string, where: string): string[] | undefined {
  const value = obj[key];
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
    throw new InvalidFilterError(`parsing filter: ${where}.${key} must be a list of strings, got ${JSON.stringify(value)}`);
  }
  return value as string[];
}

/** A list of room IDs (`!`) or user IDs (`@...:server`), as Synapse's filter schema checks them. */
function idsAt(obj: Obj, key: string, where: string, kind: 'room' | 'user'): string[] | undefined {
  const ids = stringsAt(obj, key, where);
  const valid = kind === 'room' ? (id: string) => id.startsWith('!') : (id: string) => /^@[^:]+:.+$/.test(id);
  const bad = ids?.find((id) => !valid(id));
  if (bad !== undefined) throw new InvalidFilterError(`parsing filter: ${where}.${key} must list ${kind} IDs, got ${JSON.stringify(bad)}`);
  return ids;
}

function boolAt(obj: Obj, key: string, where: string): boolean | undefined {
  const value = obj[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') throw new InvalidFilterError(`parsing filter: ${where}.${key} must be a boolean, got ${JSON.stringify(value)}`);
  return value;
}

function parseEventFilter(value: unknown, where: string): EventFilter {
  const obj = objectAt(value, where);
  const limit = obj['limit'];
  // 0 is allowed, as Synapse: a sync with timeline.limit 0 sends state and no timeline events.
  if (limit !== undefined && (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 0)) {
    throw new InvalidFilterError(`parsing filter: ${where}.limit must be a non-negative integer, got ${JSON.stringify(limit)}`);
  }
  return {
    limit: limit as number | undefined,
    types: stringsAt(obj, 'types', where),
    notTypes: stringsAt(obj, 'not_types', where) ?? [],
    senders: idsAt(obj, 'senders', where, 'user'),
    notSenders: idsAt(obj, 'not_senders', where, 'user') ?? [],
  };
}

function parseRoomEventFilter(value: unknown, where: string): RoomEventFilter {
  const obj = objectAt(value, where);
  return {
    ...parseEventFilter(obj, where),
    rooms: idsAt(obj, 'rooms', where, 'room'),
    notRooms: idsAt(obj, 'not_rooms', where, 'room') ?? [],
    lazyLoadMembers: boolAt(obj, 'lazy_load_members', where) ?? false,
    includeRedundantMembers: boolAt(obj, 'include_redundant_members', where) ?? false,
    containsUrl: boolAt(obj, 'contains_url', where),
    unreadThreadNotifications: boolAt(obj, 'unread_thread_notifications', where) ?? false,
  };
}

/** Parses and checks a filter definition (the body of POST /user/{userId}/filter). */
export function parseFilter(json: unknown): Filter {
  const obj = objectAt(json, 'filter');
  const format = obj['event_format'] ?? 'client';
  if (format !== 'client' && format !== 'federation') {
    throw new InvalidFilterError(`parsing filter: event_format must be "client" or "federation", got ${JSON.stringify(format)}`);
  }
  const room = objectAt(obj['room'], 'room');
  return {
    eventFields: stringsAt(obj, 'event_fields', 'filter'),
    eventFormat: format,
    presence: parseEventFilter(obj['presence'], 'presence'),
    accountData: parseEventFilter(obj['account_data'], 'account_data'),
    room: {
      rooms: idsAt(room, 'rooms', 'room', 'room'),
      notRooms: idsAt(room, 'not_rooms', 'room', 'room') ?? [],
      includeLeave: boolAt(room, 'include_leave', 'room') ?? false,
      timeline: parseRoomEventFilter(room['timeline'], 'room.timeline'),
      state: parseRoomEventFilter(room['state'], 'room.state'),
      ephemeral: parseRoomEventFilter(room['ephemeral'], 'room.ephemeral'),
      accountData: parseRoomEventFilter(room['account_data'], 'room.account_data'),
    },
  };
}

/** The filter with every default: matches everything. */
export const DEFAULT_FILTER: Filter = parseFilter({});

const globCache = new Map<string, RegExp>();

/** `*` matches any run of characters (as in the spec's type filters); everything else literal. */
export function matchesGlob(pattern: string, value: string): boolean {
  if (!pattern.includes('*')) return pattern === value;
  let regex = globCache.get(pattern);
  if (regex === undefined) {
    regex = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 's');
    if (globCache.size > 1000) globCache.clear();
    globCache.set(pattern, regex);
  }
  return regex.test(value);
}

/** What event filters look at. */
export interface FilterableEvent {
  readonly type: string;
  readonly sender?: string;
  readonly room_id?: string;
  readonly content?: unknown;
}

/** Whether an event passes an event filter (not_* win over the allow lists). */
export function eventMatches(filter: EventFilter, event: FilterableEvent): boolean {
  if (filter.notTypes.some((p) => matchesGlob(p, event.type))) return false;
  if (filter.types !== undefined && !filter.types.some((p) => matchesGlob(p, event.type))) return false;
  if (event.sender !== undefined) {
    if (filter.notSenders.includes(event.sender)) return false;
    if (filter.senders !== undefined && !filter.senders.includes(event.sender)) return false;
  }
  return true;
}

/** Whether a room event passes a room event filter (rooms, senders, types, contains_url). */
export function roomEventMatches(filter: RoomEventFilter, event: FilterableEvent): boolean {
  if (event.room_id !== undefined && !roomMatches(filter, event.room_id)) return false;
  if (filter.containsUrl !== undefined) {
    const url = (event.content as Obj | undefined)?.['url'];
    if (filter.containsUrl !== (typeof url === 'string')) return false;
  }
  return eventMatches(filter, event);
}

/** Whether a room passes a filter's rooms/not_rooms lists. */
export function roomMatches(filter: { rooms: readonly string[] | undefined; notRooms: readonly string[] }, roomId: string): boolean {
  if (filter.notRooms.includes(roomId)) return false;
  return filter.rooms === undefined || filter.rooms.includes(roomId);
}

/** Keeps only the listed dotted fields of a client event (`content.body`, `content.m\.x`). */
export function applyEventFields(event: Obj, fields: readonly string[] | undefined): Obj {
  if (fields === undefined) return event;
  const out: Obj = {};
  for (const field of fields) {
    const path = field.split(/(?<!\\)\./).map((p) => p.replace(/\\\./g, '.'));
    let source: unknown = event;
    for (const key of path) source = source !== null && typeof source === 'object' ? (source as Obj)[key] : undefined;
    if (source === undefined) continue;
    let target = out;
    for (const key of path.slice(0, -1)) {
      const next = (target[key] ??= {}) as Obj;
      target = next;
    }
    target[path[path.length - 1]!] = source;
  }
  return out;
}
