// POST /user_directory/search (r0, v3): finds users by localpart, display name or server name
// among those the searcher may see (libs/storage searchUserDirectory: shared rooms and public
// rooms, or every local user with search_all_users), as Synapse's user directory does.
import type { Requester } from '@homeserver/services';
import { searchUserDirectory, type Database } from '@homeserver/storage';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { body, clientRoute } from '../rooms/route-helper.ts';

/** Synapse's `user_directory` section, resolved (libs/config UserDirectoryConfig). */
export interface UserDirectorySettings {
  /** false: every search answers no results. */
  readonly enabled: boolean;
  readonly searchAllUsers: boolean;
  readonly preferLocalUsers: boolean;
  readonly excludeRemoteUsers: boolean;
}

export interface UserDirectoryDeps {
  readonly db: Database;
  readonly authenticate: (request: FastifyRequest) => Promise<Requester>;
  readonly serverName: string;
  readonly settings: UserDirectorySettings;
}

/** Synapse's bounds: 10 results unless asked, never more than 50. */
const DEFAULT_LIMIT = 10;
const MAX_LIMIT = 50;

const searchBodySchema = {
  type: 'object',
  required: ['search_term'],
  properties: { search_term: { type: 'string' }, limit: { type: 'integer' } },
} as const;

/**
 * The words of a search term, lower-cased: runs of letters and digits (a user ID's `@`, `:`,
 * `.`, `-` and `_` separate words, as the database splits the names it matches them against).
 */
export function searchWords(term: string): string[] {
  return term
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word !== '');
}

export function registerUserDirectoryRoutes(app: FastifyInstance, deps: UserDirectoryDeps): void {
  clientRoute(app, 'POST', '/user_directory/search', { schema: { body: searchBodySchema }, paths: {} }, async (request) => {
    const requester = await deps.authenticate(request);
    if (!deps.settings.enabled) return { limited: false, results: [] };
    const { search_term: term, limit } = body<{ search_term: string; limit?: number }>(request);
    const result = await searchUserDirectory(deps.db, {
      searcher: requester.userId,
      words: searchWords(term),
      limit: Math.max(0, Math.min(limit ?? DEFAULT_LIMIT, MAX_LIMIT)),
      serverName: deps.serverName,
      searchAllUsers: deps.settings.searchAllUsers,
      preferLocalUsers: deps.settings.preferLocalUsers,
      excludeRemoteUsers: deps.settings.excludeRemoteUsers,
    });
    return {
      limited: result.limited,
      results: result.results.map((entry) => ({
        user_id: entry.userId,
        ...(entry.displayName === undefined ? {} : { display_name: entry.displayName }),
        ...(entry.avatarUrl === undefined ? {} : { avatar_url: entry.avatarUrl }),
      })),
    };
  });
}
