// The POST /search request: its JSON schema (so malformed bodies are 400 M_BAD_JSON before the
// handler runs), the parsed criteria with the spec's defaults, and the `next_batch` token.
// Tokens have Synapse's shape (unpadded base64 of "group\ngroup key\nposition"), so a token
// names the group it pages through ("all", or "room_id" and one room).
import { badJson, invalidParam } from '@homeserver/http';
import { InvalidFilterError, parseFilter, type RoomEventFilter } from '@homeserver/services';
import type { SearchCursor } from '@homeserver/storage';

/** More results than this per page are not useful to a client and cost a context each. */
export const MAX_SEARCH_LIMIT = 100;
/** Upper bound of event_context before_limit / after_limit. */
export const MAX_CONTEXT_LIMIT = 100;

export const searchBodySchema = {
  type: 'object',
  required: ['search_categories'],
  properties: {
    search_categories: {
      type: 'object',
      properties: {
        room_events: {
          type: 'object',
          required: ['search_term'],
          properties: {
            search_term: { type: 'string' },
            keys: { type: 'array', items: { type: 'string', enum: ['content.body', 'content.name', 'content.topic'] } },
            filter: { type: 'object' },
            order_by: { type: 'string', enum: ['recent', 'rank'] },
            event_context: {
              type: 'object',
              properties: {
                before_limit: { type: 'integer', minimum: 0 },
                after_limit: { type: 'integer', minimum: 0 },
                include_profile: { type: 'boolean' },
              },
            },
            include_state: { type: 'boolean' },
            groupings: {
              type: 'object',
              properties: {
                group_by: { type: 'array', items: { type: 'object', required: ['key'], properties: { key: { type: 'string', enum: ['room_id', 'sender'] } } } },
              },
            },
          },
        },
      },
    },
  },
} as const;

interface RoomEventsBody {
  search_term: string;
  keys?: string[];
  filter?: Record<string, unknown>;
  order_by?: 'recent' | 'rank';
  event_context?: { before_limit?: number; after_limit?: number; include_profile?: boolean };
  include_state?: boolean;
  groupings?: { group_by?: Array<{ key: 'room_id' | 'sender' }> };
}

export interface SearchBody {
  search_categories: { room_events?: RoomEventsBody };
}

export interface RoomEventsCriteria {
  readonly term: string;
  readonly keys: readonly string[];
  readonly filter: RoomEventFilter;
  /** Results per page: the filter's limit (default 10), at most MAX_SEARCH_LIMIT. */
  readonly limit: number;
  readonly orderBy: 'recent' | 'rank';
  readonly context: { readonly before: number; readonly after: number; readonly includeProfile: boolean } | undefined;
  readonly includeState: boolean;
  readonly groupBy: ReadonlySet<'room_id' | 'sender'>;
}

/** The room_events criteria with defaults filled in (undefined when the category is absent). */
export function parseRoomEventsCriteria(body: SearchBody): RoomEventsCriteria | undefined {
  const room = body.search_categories.room_events;
  if (room === undefined) return undefined;
  let filter: RoomEventFilter;
  try {
    filter = parseFilter({ room: { timeline: room.filter ?? {} } }).room.timeline;
  } catch (error) {
    if (error instanceof InvalidFilterError) throw badJson(`search_categories.room_events.filter: ${error.message}`);
    throw error;
  }
  const context = room.event_context;
  return {
    term: room.search_term,
    keys: room.keys ?? ['content.body', 'content.name', 'content.topic'],
    filter,
    limit: Math.min(filter.limit ?? 10, MAX_SEARCH_LIMIT),
    orderBy: room.order_by ?? 'rank',
    context: context === undefined
      ? undefined
      : { before: Math.min(context.before_limit ?? 5, MAX_CONTEXT_LIMIT), after: Math.min(context.after_limit ?? 5, MAX_CONTEXT_LIMIT), includeProfile: context.include_profile ?? false },
    includeState: room.include_state ?? false,
    groupBy: new Set((room.groupings?.group_by ?? []).map((g) => g.key)),
  };
}

/** What a `next_batch` token says: which group it pages and where the previous page stopped. */
export interface SearchBatch {
  /** 'all', or 'room_id' with `groupKey` the room. */
  readonly group: 'all' | 'room_id';
  readonly groupKey: string;
  readonly cursor: SearchCursor;
}

function cursorText(cursor: SearchCursor): string {
  return cursor.kind === 'recent' ? `${cursor.ts},${cursor.stream}` : `rank:${cursor.offset}`;
}

export function encodeBatch(batch: SearchBatch): string {
  return Buffer.from(`${batch.group}\n${batch.groupKey}\n${cursorText(batch.cursor)}`, 'utf8').toString('base64').replace(/=+$/, '');
}

/** Decodes a `next_batch` query parameter; a token from another ordering or a bad one is 400 M_INVALID_PARAM. */
export function decodeBatch(token: string, orderBy: 'recent' | 'rank'): SearchBatch {
  const fail = () => invalidParam(`next_batch ${JSON.stringify(token.slice(0, 100))} is not a valid ${orderBy} search token`);
  if (!/^[A-Za-z0-9+/]{1,2000}$/.test(token)) throw fail();
  const parts = Buffer.from(token, 'base64').toString('utf8').split('\n');
  if (parts.length !== 3) throw fail();
  const [group, groupKey, position] = parts as [string, string, string];
  if (!((group === 'all' && groupKey === '') || (group === 'room_id' && groupKey.startsWith('!')))) throw fail();
  let cursor: SearchCursor;
  const recent = /^(-?[0-9]{1,16}),([0-9]{1,16})$/.exec(position);
  const rank = /^rank:([0-9]{1,9})$/.exec(position);
  if (orderBy === 'recent' && recent) cursor = { kind: 'recent', ts: Number(recent[1]), stream: Number(recent[2]) };
  else if (orderBy === 'rank' && rank) cursor = { kind: 'rank', offset: Number(rank[1]) };
  else throw fail();
  return { group, groupKey, cursor };
}
