// GET /_matrix/client/v1/rooms/{roomId}/hierarchy: a depth-first walk of a space's
// m.space.child tree, as Synapse walks it: a stack of rooms to visit (children pushed in
// reverse so the first child is visited next), each room returned at most once, rooms the user
// may not see left out along with their subtrees, `suggested_only` and `max_depth` applied,
// `limit` rooms per page (at most 50). A page that stops early stores the stack and the visited
// set in a pagination session; `next_batch` names it, and continuing needs the same room,
// user, `suggested_only` and `max_depth`.
//
// Local rooms only: children this server does not know are skipped (there is no federation
// yet, so their `via` servers are not asked).
import { forbidden, invalidParam } from '@homeserver/http';
import type { JsonObject } from '@homeserver/matrix';
import { createHierarchySession, getHierarchySession } from '@homeserver/storage';
import type { FastifyInstance } from 'fastify';
import { roomIdParam } from '../rooms/path-params.ts';
import { clientRoute, params, query } from '../rooms/route-helper.ts';
import type { RoomsDeps } from '../rooms/rooms-deps.ts';
import { loadHierarchyRoom, type ChildEvent } from './room-summary.ts';

/** Synapse's MAX_ROOMS: the most rooms one page returns. */
const MAX_ROOMS = 50;
/** How long a next_batch token stays valid (Synapse: five minutes). */
const SESSION_LIFETIME_MS = 5 * 60_000;

interface QueueEntry {
  readonly roomId: string;
  readonly via: readonly string[];
  readonly depth: number;
}

/** What a pagination session stores: the request's fixed parameters and the walk's state. */
interface WalkState {
  readonly roomId: string;
  readonly suggestedOnly: boolean;
  readonly maxDepth: number | null;
  readonly queue: QueueEntry[];
  readonly processed: string[];
}

function parseBoolean(value: string | undefined, name: string): boolean {
  if (value === undefined) return false;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw invalidParam(`${name} must be "true" or "false", got ${JSON.stringify(value)}`);
}

function parseInteger(value: string | undefined, name: string, minimum: number): number | undefined {
  if (value === undefined) return undefined;
  if (!/^[0-9]{1,9}$/.test(value) || Number(value) < minimum) throw invalidParam(`${name} must be an integer of at least ${minimum}, got ${JSON.stringify(value)}`);
  return Number(value);
}

function isSuggested(child: ChildEvent): boolean {
  return child.content['suggested'] === true;
}

function parseState(text: string): WalkState | undefined {
  try {
    const state = JSON.parse(text) as WalkState;
    return Array.isArray(state.queue) && Array.isArray(state.processed) ? state : undefined;
  } catch {
    return undefined;
  }
}

export function registerHierarchyRoutes(app: FastifyInstance, deps: RoomsDeps): void {
  clientRoute(app, 'GET', '/rooms/:roomId/hierarchy', { paths: { version: 'v1', r0: false } }, async (request) => {
    const requester = await deps.authenticate(request);
    const roomId = roomIdParam(params(request)['roomId']!);
    const q = query(request);
    const suggestedOnly = parseBoolean(q['suggested_only'], 'suggested_only');
    const maxDepth = parseInteger(q['max_depth'], 'max_depth', 0) ?? null;
    const limit = Math.min(parseInteger(q['limit'], 'limit', 1) ?? MAX_ROOMS, MAX_ROOMS);
    const userId = requester.userId;

    if (!(await loadHierarchyRoom(deps.db, roomId, userId))) {
      throw forbidden(`user ${userId} is not in room ${roomId} and may not preview it`);
    }

    let queue: QueueEntry[];
    let processed: Set<string>;
    const from = q['from'];
    if (from !== undefined) {
      const text = await getHierarchySession(deps.db, from, { userId, now: deps.clock.now() });
      const state = text === undefined ? undefined : parseState(text);
      if (!state || state.roomId !== roomId || state.suggestedOnly !== suggestedOnly || state.maxDepth !== maxDepth) {
        throw invalidParam(`from ${JSON.stringify(from.slice(0, 100))} is not a pagination token of this hierarchy request (unknown, expired, or suggested_only / max_depth changed)`);
      }
      queue = state.queue;
      processed = new Set(state.processed);
    } else {
      queue = [{ roomId, via: [], depth: 0 }];
      processed = new Set();
    }

    const rooms: JsonObject[] = [];
    while (queue.length > 0 && rooms.length < limit) {
      const entry = queue.pop()!;
      if (processed.has(entry.roomId)) continue;
      processed.add(entry.roomId);
      const room = await loadHierarchyRoom(deps.db, entry.roomId, userId);
      if (!room) continue;
      const children = suggestedOnly ? room.children.filter(isSuggested) : room.children;
      rooms.push({ ...room.summary, children_state: children as unknown as JsonObject[] });
      if (maxDepth === null || entry.depth < maxDepth) {
        for (const child of [...children].reverse()) {
          queue.push({ roomId: child.state_key, via: child.content['via'] as string[], depth: entry.depth + 1 });
        }
      }
    }

    const response: JsonObject = { rooms };
    // Entries already visited are dropped now, so a token is only issued when rooms remain.
    queue = queue.filter((entry) => !processed.has(entry.roomId));
    if (queue.length > 0) {
      const state: WalkState = { roomId, suggestedOnly, maxDepth, queue, processed: [...processed] };
      response['next_batch'] = await createHierarchySession(deps.db, { userId, value: JSON.stringify(state) }, { now: deps.clock.now(), lifetimeMs: SESSION_LIFETIME_MS });
    }
    return response;
  });
}
