// GET /sync: parses and checks the query (since, filter, timeout, full_state, set_presence),
// applies set_presence, and hands the rest to SyncService.
import { invalidParam } from '@homeserver/http';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { resolveSyncFilter, type LoadFilter } from '../sync/sync-filter.ts';
import type { SyncService } from '../sync/sync-service.ts';
import { clientPaths, type RouteDeps } from './route-deps.ts';

export interface SyncRouteDeps extends RouteDeps {
  readonly sync: SyncService;
  /** CS-accounts' filter store. Default: only inline filters work. */
  readonly loadFilter?: LoadFilter;
  /** Applies `set_presence` (the presence writer, where hosted). Default: ignored. */
  readonly setPresence?: (userId: string, state: string) => Promise<void>;
}

interface SyncQuery {
  since?: string;
  filter?: string;
  timeout?: string;
  full_state?: string;
  set_presence?: string;
}

export function parseTimeout(value: string | undefined): number {
  if (value === undefined || value === '') return 0;
  if (!/^[0-9]{1,12}$/.test(value)) throw invalidParam(`cannot use timeout ${JSON.stringify(value)}: expected a non-negative integer of milliseconds`);
  return Number(value);
}

export function parseBool(value: string | undefined, name: string): boolean {
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  throw invalidParam(`cannot use ${name} ${JSON.stringify(value)}: expected true or false`);
}

/**
 * Aborted when the client goes away before its answer was sent (the response closed unsent): a
 * long-poll then stops waiting. An answered request never aborts, so no AbortError (a
 * DOMException and its stack, ~0.07 ms of a sync worker's CPU) is made for each.
 */
export function clientGone(reply: FastifyReply): AbortSignal {
  const abort = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableEnded) abort.abort();
  });
  return abort.signal;
}

export function registerSyncRoutes(app: FastifyInstance, deps: SyncRouteDeps): void {
  for (const url of clientPaths('/keys/changes')) {
    app.get<{ Querystring: { from: string; to: string } }>(url, {
      schema: { querystring: { type: 'object', required: ['from', 'to'], properties: { from: { type: 'string' }, to: { type: 'string' } } } },
    }, async (request) => {
      const requester = await deps.authenticate(request);
      const from = (await deps.sync.parseSince(request.query.from))!;
      const to = (await deps.sync.parseSince(request.query.to))!;
      return deps.sync.deviceListChanges(requester.userId, from, to);
    });
  }

  for (const url of clientPaths('/sync')) {
    app.get<{ Querystring: SyncQuery }>(url, {
      schema: {
        querystring: {
          type: 'object',
          properties: {
            since: { type: 'string' },
            filter: { type: 'string' },
            timeout: { type: 'string' },
            full_state: { type: 'string' },
            set_presence: { type: 'string', enum: ['offline', 'online', 'unavailable'] },
          },
        },
      },
    }, async (request, reply) => {
      const requester = await deps.authenticate(request);
      const query = request.query;
      const timeoutMs = parseTimeout(query.timeout);
      const fullState = parseBool(query.full_state, 'full_state');
      await deps.sync.parseSince(query.since);
      const filter = await resolveSyncFilter(query.filter, requester.userId, deps.loadFilter);
      // Syncing makes a user online unless the client says otherwise (Synapse's default).
      const presence = query.set_presence ?? 'online';
      if (presence !== 'offline' && deps.setPresence) await deps.setPresence(requester.userId, presence);
      return deps.sync.sync({
        userId: requester.userId,
        deviceId: requester.deviceId,
        since: query.since,
        filter,
        fullState,
        timeoutMs,
        signal: clientGone(reply),
      });
    });
  }
}
