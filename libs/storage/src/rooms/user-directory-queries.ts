// POST /user_directory/search, answered from the current membership and profile tables (no
// directory table to keep in step, so profile changes, joins, leaves and join-rule changes are
// seen at once). Who may be found follows Synapse's user directory: users joined to a room the
// searcher is joined to, users joined to a room that is publicly joinable or world-readable
// and, with search_all_users, every local non-guest user; never deactivated local users.
// Local users show their global profile, remote users the profile of their latest join event.
//
// Matching: every word of the term must be a case-insensitive prefix of a word of the user's
// localpart, display name or server name. Ranking (Synapse's shape): exact words above
// prefixes, localpart above display name above server name, users sharing a room with the
// searcher 4x, a display name and an avatar 1.2x each, optionally local users 2x.
import type { Queryable } from '../database.ts';

export interface UserDirectorySearch {
  /** The searching user (never a result unless they sit in a public room, as Synapse). */
  readonly searcher: string;
  /** Lower-case words of the search term, each matched as a word prefix; at most 10 are used. */
  readonly words: readonly string[];
  /** Results wanted; one more is read to answer `limited`. */
  readonly limit: number;
  /** This server's name: users `@x:serverName` are local. */
  readonly serverName: string;
  /** Every local non-guest user may be found, not only those sharing or in public rooms. Default: false. */
  readonly searchAllUsers?: boolean;
  /** Rank local users 2x. Default: false. */
  readonly preferLocalUsers?: boolean;
  /** Leave remote users out. Default: false. */
  readonly excludeRemoteUsers?: boolean;
}

export interface UserDirectoryEntry {
  readonly userId: string;
  readonly displayName: string | undefined;
  readonly avatarUrl: string | undefined;
}

export interface UserDirectoryResult {
  readonly results: UserDirectoryEntry[];
  readonly limited: boolean;
}

/** A word as a LIKE pattern fragment: the caller's words hold letters and digits, but escape anyway. */
function likeEscape(word: string): string {
  return word.replace(/[\\%_]/g, (c) => `\\${c}`);
}

// Words of a text as ' w1 w2 ... ' so that '% w%' is "a word starting with w" and '% w %' an exact word.
const hay = (expr: string) => `(' ' || regexp_replace(lower(${expr}), '[^[:alnum:]]+', ' ', 'g') || ' ')`;

// A join-rules or history-visibility event whose JSON PostgreSQL's jsonb refuses (an escaped NUL
// or a surrogate escape, both legal in event JSON) counts as not public instead of failing the
// whole search; the CASE keeps the cast from being evaluated for it.
const PUBLIC_ROOMS = `
  SELECT c.room_id
    FROM current_state_events c JOIN events e ON e.event_id = c.event_id
   WHERE c.state_key = '' AND c.type IN ('m.room.join_rules', 'm.room.history_visibility')
     AND CASE
           WHEN strpos(e.json, '\\u0000') > 0 OR e.json ~* '\\\\ud[89a-f]' THEN false
           WHEN c.type = 'm.room.join_rules' THEN (e.json::jsonb -> 'content' ->> 'join_rule') IS NOT DISTINCT FROM 'public'
           ELSE (e.json::jsonb -> 'content' ->> 'history_visibility') IS NOT DISTINCT FROM 'world_readable'
         END`;

export async function searchUserDirectory(db: Queryable, search: UserDirectorySearch): Promise<UserDirectoryResult> {
  const words = search.words.filter((w) => w !== '').slice(0, 10).map(likeEscape);
  if (words.length === 0 || search.limit <= 0) return { results: [], limited: false };
  const { rows } = await db.query<{ user_id: string; display_name: string | null; avatar_url: string | null }>(
    `WITH searcher_rooms AS (
       SELECT room_id FROM current_state_events
        WHERE type = 'm.room.member' AND state_key = $1 AND membership = 'join'
     ),
     public_rooms AS (${PUBLIC_ROOMS}),
     -- Joined members of the rooms that make users findable, with the newest join event first.
     members AS (
       SELECT m.state_key AS user_id, m.event_id, m.stream_ordering,
              s.room_id IS NOT NULL AS shared, p.room_id IS NOT NULL AS public
         FROM current_state_events m
         LEFT JOIN searcher_rooms s ON s.room_id = m.room_id
         LEFT JOIN public_rooms p ON p.room_id = m.room_id
        WHERE m.type = 'm.room.member' AND m.membership = 'join'
          AND m.room_id IN (SELECT room_id FROM searcher_rooms UNION SELECT room_id FROM public_rooms)
     ),
     found AS (
       SELECT user_id, bool_or(shared AND user_id <> $1) AS shared,
              (array_agg(event_id ORDER BY stream_ordering DESC))[1] AS event_id
         FROM members
        -- The searcher finds themselves only through a public room (Synapse keeps no self pairs).
        WHERE user_id <> $1 OR public
        GROUP BY user_id
       UNION ALL
       SELECT u.user_id, false, NULL FROM users u
        WHERE $2::boolean AND NOT u.is_guest AND u.user_id <> $1
     ),
     candidates AS (
       SELECT user_id, bool_or(shared) AS shared, max(event_id) AS event_id FROM found GROUP BY user_id
     ),
     profiled AS (
       SELECT c.user_id, c.shared, substr(c.user_id, strpos(c.user_id, ':') + 1) = $3 AS local,
              CASE WHEN u.user_id IS NOT NULL THEN p.displayname ELSE rm.display_name END AS display_name,
              CASE WHEN u.user_id IS NOT NULL THEN p.avatar_url ELSE rm.avatar_url END AS avatar_url
         FROM candidates c
         LEFT JOIN users u ON u.user_id = c.user_id
         LEFT JOIN profiles p ON p.user_id = c.user_id
         LEFT JOIN room_memberships rm ON rm.event_id = c.event_id
        -- Local users must exist and be active; remote users are always included.
        WHERE CASE WHEN substr(c.user_id, strpos(c.user_id, ':') + 1) = $3 THEN u.user_id IS NOT NULL AND NOT u.deactivated ELSE NOT $5::boolean END
     ),
     scored AS (
       SELECT pr.*, w.matched, w.score
         FROM profiled pr
         CROSS JOIN LATERAL (
           SELECT bool_and(s > 0) AS matched, sum(s) AS score FROM (
             SELECT GREATEST(
                      CASE WHEN ${hay("substr(pr.user_id, 2, strpos(pr.user_id, ':') - 2)")} LIKE '% ' || w || ' %' THEN 4.0
                           WHEN ${hay("substr(pr.user_id, 2, strpos(pr.user_id, ':') - 2)")} LIKE '% ' || w || '%' THEN 1.0 ELSE 0 END,
                      0.9 * CASE WHEN ${hay("COALESCE(pr.display_name, '')")} LIKE '% ' || w || ' %' THEN 4.0
                                 WHEN ${hay("COALESCE(pr.display_name, '')")} LIKE '% ' || w || '%' THEN 1.0 ELSE 0 END,
                      0.1 * CASE WHEN ${hay("substr(pr.user_id, strpos(pr.user_id, ':') + 1)")} LIKE '% ' || w || '%' THEN 1.0 ELSE 0 END
                    ) AS s
               FROM unnest($4::text[]) AS w
           ) per_word
         ) w
     )
     SELECT user_id, display_name, avatar_url FROM scored
      WHERE matched
      ORDER BY score
               * (CASE WHEN shared THEN 4.0 ELSE 1.0 END)
               * (CASE WHEN display_name IS NOT NULL THEN 1.2 ELSE 1.0 END)
               * (CASE WHEN avatar_url IS NOT NULL THEN 1.2 ELSE 1.0 END)
               * (CASE WHEN $6::boolean AND local THEN 2.0 ELSE 1.0 END) DESC,
               display_name IS NULL, avatar_url IS NULL, user_id
      LIMIT $7`,
    [search.searcher, search.searchAllUsers === true, search.serverName, words, search.excludeRemoteUsers === true, search.preferLocalUsers === true, search.limit + 1],
  );
  return {
    results: rows.slice(0, search.limit).map((row) => ({ userId: row.user_id, displayName: row.display_name ?? undefined, avatarUrl: row.avatar_url ?? undefined })),
    limited: rows.length > search.limit,
  };
}
