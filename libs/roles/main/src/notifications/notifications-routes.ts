// GET /notifications (r0, v3): the events the user was (or would have been) notified about,
// newest first, from the push actions the sync role stores as events arrive. `from` is the
// stream position of the previous page's last notification (Synapse's numeric token), `only=
// highlight` keeps highlighting ones, and `read` says whether the user's read receipt in the
// room is at or after the event.
import { invalidParam } from '@homeserver/http';
import { EventFormatter, type Clock, type Requester } from '@homeserver/services';
import { getEvents, getNotifications, type Database } from '@homeserver/storage';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { clientRoute, query } from '../rooms/route-helper.ts';

export interface NotificationsDeps {
  readonly db: Database;
  readonly authenticate: (request: FastifyRequest) => Promise<Requester>;
  readonly clock: Clock;
}

/** Synapse's bounds. */
const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 500;

function parseFrom(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^[0-9]{1,15}$/.test(text)) throw invalidParam(`from ${JSON.stringify(text)} is not a token this server handed out`);
  return Number(text);
}

function parseLimit(text: string | undefined): number {
  if (text === undefined) return DEFAULT_LIMIT;
  if (!/^[0-9]{1,9}$/.test(text)) throw invalidParam(`limit ${JSON.stringify(text)} is not a non-negative integer`);
  return Math.min(Number(text), MAX_LIMIT);
}

export function registerNotificationsRoutes(app: FastifyInstance, deps: NotificationsDeps): void {
  const formatter = new EventFormatter(deps.db, deps.clock);
  clientRoute(app, 'GET', '/notifications', { paths: {} }, async (request) => {
    const requester = await deps.authenticate(request);
    const q = query(request);
    const before = parseFrom(q['from']);
    const limit = parseLimit(q['limit']);
    if (limit === 0) return { notifications: [] };
    // One row more than asked tells whether a next page exists.
    const rows = await getNotifications(deps.db, requester.userId, { before, limit: limit + 1, onlyHighlight: q['only'] === 'highlight' });
    const page = rows.slice(0, limit);
    const events = await getEvents(deps.db, page.map((row) => row.eventId));
    const present = page.filter((row) => events.has(row.eventId));
    const formatted = await formatter.format(
      present.map((row) => events.get(row.eventId)!),
      { requester, omitRoomId: true },
    );
    const notifications = present.map((row, index) => ({
      actions: row.actions,
      event: formatted[index],
      read: row.read,
      room_id: row.roomId,
      // When the notification arose: the event's timestamp (Synapse uses its receipt time, which
      // for events of this server is the same moment).
      ts: events.get(row.eventId)!.originServerTs,
    }));
    return rows.length > limit ? { notifications, next_token: String(page[page.length - 1]!.streamOrdering) } : { notifications };
  });
}
