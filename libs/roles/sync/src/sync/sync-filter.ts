// The parts of a Matrix filter (filter.yaml) /sync applies: room include/exclude lists,
// include_leave, timeline limit and types/senders, state types and lazy-loading members,
// and event type lists for account data, presence and ephemeral events.
import { badJson, invalidParam } from '@homeserver/http';

export interface EventTypeFilter {
  readonly types?: readonly string[];
  readonly notTypes: readonly string[];
  readonly senders?: readonly string[];
  readonly notSenders: readonly string[];
  readonly limit?: number;
}

export interface SyncFilter {
  readonly rooms?: readonly string[];
  readonly notRooms: readonly string[];
  readonly includeLeave: boolean;
  readonly timeline: EventTypeFilter & { readonly rooms?: readonly string[]; readonly notRooms: readonly string[] };
  readonly state: EventTypeFilter & { readonly lazyLoadMembers: boolean; readonly includeRedundantMembers: boolean };
  readonly ephemeral: EventTypeFilter;
  readonly roomAccountData: EventTypeFilter;
  readonly accountData: EventTypeFilter;
  readonly presence: EventTypeFilter;
}

/** Looks up a stored filter by ID (CS-accounts' filter store); undefined when unknown. */
export type LoadFilter = (userId: string, filterId: string) => Promise<Record<string, unknown> | undefined>;

const DEFAULT_TIMELINE_LIMIT = 10;

function stringList(value: unknown, where: string): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw badJson(`cannot use filter field ${where}: expected a list of strings`);
  return value as string[];
}

function object(value: unknown, where: string): Record<string, unknown> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw badJson(`cannot use filter field ${where}: expected an object`);
  return value as Record<string, unknown>;
}

function eventFilter(raw: Record<string, unknown>, where: string): EventTypeFilter {
  const limit = raw['limit'];
  if (limit !== undefined && (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 0)) {
    throw badJson(`cannot use filter field ${where}.limit: expected a non-negative integer`);
  }
  return {
    types: stringList(raw['types'], `${where}.types`),
    notTypes: stringList(raw['not_types'], `${where}.not_types`) ?? [],
    senders: stringList(raw['senders'], `${where}.senders`),
    notSenders: stringList(raw['not_senders'], `${where}.not_senders`) ?? [],
    limit: limit as number | undefined,
  };
}

export function parseSyncFilter(raw: Record<string, unknown>): SyncFilter {
  const room = object(raw['room'], 'room');
  const timeline = object(room['timeline'], 'room.timeline');
  const state = object(room['state'], 'room.state');
  return {
    rooms: stringList(room['rooms'], 'room.rooms'),
    notRooms: stringList(room['not_rooms'], 'room.not_rooms') ?? [],
    includeLeave: room['include_leave'] === true,
    timeline: {
      ...eventFilter(timeline, 'room.timeline'),
      rooms: stringList(timeline['rooms'], 'room.timeline.rooms'),
      notRooms: stringList(timeline['not_rooms'], 'room.timeline.not_rooms') ?? [],
    },
    state: {
      ...eventFilter(state, 'room.state'),
      lazyLoadMembers: state['lazy_load_members'] === true,
      includeRedundantMembers: state['include_redundant_members'] === true,
    },
    ephemeral: eventFilter(object(room['ephemeral'], 'room.ephemeral'), 'room.ephemeral'),
    roomAccountData: eventFilter(object(room['account_data'], 'room.account_data'), 'room.account_data'),
    accountData: eventFilter(object(raw['account_data'], 'account_data'), 'account_data'),
    presence: eventFilter(object(raw['presence'], 'presence'), 'presence'),
  };
}

export const DEFAULT_SYNC_FILTER = parseSyncFilter({});

/** The `filter` query parameter: inline JSON (starts with `{`) or a stored filter's ID. */
export async function resolveSyncFilter(param: string | undefined, userId: string, load: LoadFilter | undefined): Promise<SyncFilter> {
  if (param === undefined || param === '') return DEFAULT_SYNC_FILTER;
  if (param.trimStart().startsWith('{')) {
    let raw: unknown;
    try {
      raw = JSON.parse(param);
    } catch (error) {
      throw badJson(`cannot parse the filter parameter as JSON: ${(error as Error).message}`);
    }
    return parseSyncFilter(object(raw, 'filter'));
  }
  const stored = load ? await load(userId, param) : undefined;
  if (!stored) throw invalidParam(`cannot use filter ${JSON.stringify(param)}: no such filter for ${userId}`);
  return parseSyncFilter(stored);
}

export function timelineLimit(filter: SyncFilter): number {
  return Math.min(filter.timeline.limit ?? DEFAULT_TIMELINE_LIMIT, 100);
}

function globMatch(pattern: string, value: string): boolean {
  if (!pattern.includes('*')) return pattern === value;
  const regex = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return regex.test(value);
}

/** Whether an event with this type and sender passes the filter (limit aside). */
export function eventPasses(filter: EventTypeFilter, event: { type: string; sender?: string }): boolean {
  if (filter.notTypes.some((t) => globMatch(t, event.type))) return false;
  if (filter.types && !filter.types.some((t) => globMatch(t, event.type))) return false;
  if (event.sender !== undefined) {
    if (filter.notSenders.includes(event.sender)) return false;
    if (filter.senders && !filter.senders.includes(event.sender)) return false;
  }
  return true;
}

export function roomPasses(filter: { rooms?: readonly string[]; notRooms: readonly string[] }, roomId: string): boolean {
  if (filter.notRooms.includes(roomId)) return false;
  return !filter.rooms || filter.rooms.includes(roomId);
}
