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
//
// Cost: one pass over users and profiles (and over remote members) with substring tests, then
// word splitting and scoring of the users whose names may match; ~30 ms for a term matching no
// one and ~200 ms for one matching all of 20k users in 2k rooms on PostgreSQL. Beyond that
// scale, a directory table kept by a stream consumer (Synapse's design) is the next step.
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

// Words of a text as ' w1 w2 ... ': ' w' in it means "a word starting with w", ' w ' an exact word.
const hay = (expr: string) => `(' ' || regexp_replace(lower(${expr}), '[^[:alnum:]]+', ' ', 'g') || ' ')`;
// SQL is built per word count (at most 10), each word a bound parameter ($4::text[])[i]: a fixed
// expression per word is several times cheaper than aggregating over unnest() per candidate.

/** Every search word occurs somewhere in `expr`: a cheap first cut before words are split. */
function mayMatch(expr: string, count: number): string {
  const text = `lower(${expr})`;
  return Array.from({ length: count }, (_, i) => `strpos(${text}, ($4::text[])[${i + 1}]) > 0`).join(' AND ');
}

/** One word's score against the candidate's words: exact above prefix, localpart > display name > server. */
function wordScore(i: number): string {
  const w = `($4::text[])[${i + 1}]`;
  return `GREATEST(
    CASE WHEN strpos(h.lp, ' ' || ${w} || ' ') > 0 THEN 4.0 WHEN strpos(h.lp, ' ' || ${w}) > 0 THEN 1.0 ELSE 0 END,
    0.9 * CASE WHEN strpos(h.dn, ' ' || ${w} || ' ') > 0 THEN 4.0 WHEN strpos(h.dn, ' ' || ${w}) > 0 THEN 1.0 ELSE 0 END,
    0.1 * CASE WHEN strpos(h.sv, ' ' || ${w}) > 0 THEN 1.0 ELSE 0 END)`;
}

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
  const words = search.words.filter((w) => w !== '').slice(0, 10);
  if (words.length === 0 || search.limit <= 0) return { results: [], limited: false };
  const scores = words.map((_, i) => wordScore(i));
  // Names first: only users whose names may match are split into words, scored and checked
  // against the rooms that make them findable; the best page then comes from a top-N sort.
  const { rows } = await db.query<{ user_id: string; display_name: string | null; avatar_url: string | null }>(
    `WITH searcher_rooms AS (
       SELECT room_id FROM current_state_events
        WHERE type = 'm.room.member' AND state_key = $1 AND membership = 'join'
     ),
     public_rooms AS MATERIALIZED (${PUBLIC_ROOMS}),
     room_mates AS (
       SELECT DISTINCT state_key AS user_id FROM current_state_events
        WHERE type = 'm.room.member' AND membership = 'join' AND room_id IN (SELECT room_id FROM searcher_rooms) AND state_key <> $1
     ),
     -- Local users with their global profile; remote users with their newest join event's.
     named AS (
       SELECT u.user_id, p.displayname AS display_name, p.avatar_url, true AS local, u.is_guest
         FROM users u LEFT JOIN profiles p ON p.user_id = u.user_id
        WHERE NOT u.deactivated AND ${mayMatch("u.user_id || ' ' || COALESCE(p.displayname, '')", words.length)}
       UNION ALL
       SELECT * FROM (
         SELECT DISTINCT ON (m.state_key) m.state_key, rm.display_name, rm.avatar_url, false, false
           FROM current_state_events m JOIN room_memberships rm ON rm.event_id = m.event_id
          WHERE m.type = 'm.room.member' AND m.membership = 'join' AND NOT $5::boolean
            AND substr(m.state_key, strpos(m.state_key, ':') + 1) <> $3
            AND ${mayMatch("m.state_key || ' ' || COALESCE(rm.display_name, '')", words.length)}
            AND ($2::boolean OR m.room_id IN (SELECT room_id FROM searcher_rooms) OR m.room_id IN (SELECT room_id FROM public_rooms))
          ORDER BY m.state_key, m.stream_ordering DESC
       ) remote
     ),
     hays AS MATERIALIZED (
       SELECT n.*, rm.user_id IS NOT NULL AS shared,
              ${hay("substr(n.user_id, 2, strpos(n.user_id, ':') - 2)")} AS lp,
              ${hay("COALESCE(n.display_name, '')")} AS dn,
              ${hay("substr(n.user_id, strpos(n.user_id, ':') + 1)")} AS sv
         FROM named n LEFT JOIN room_mates rm ON rm.user_id = n.user_id
     ),
     public_members AS (
       SELECT DISTINCT m.state_key AS user_id FROM current_state_events m
        WHERE m.type = 'm.room.member' AND m.membership = 'join' AND m.room_id IN (SELECT room_id FROM public_rooms)
     ),
     scored AS (
       SELECT h.*, ${scores.map((score) => `${score} > 0`).join(' AND ')} AS matched, ${scores.join(' + ')} AS score
         FROM hays h
     )
     SELECT s.user_id, s.display_name, s.avatar_url FROM scored s
      WHERE s.matched AND (
            NOT s.local
         OR CASE WHEN $2::boolean THEN s.user_id <> $1 AND NOT s.is_guest ELSE false END
         OR s.shared
         -- The searcher finds themselves only through a public room (Synapse keeps no self
         -- pairs), and never with search_all_users.
         OR ((NOT $2::boolean OR s.user_id <> $1) AND s.user_id IN (SELECT user_id FROM public_members)))
      ORDER BY s.score
               * (CASE WHEN s.shared THEN 4.0 ELSE 1.0 END)
               * (CASE WHEN s.display_name IS NOT NULL THEN 1.2 ELSE 1.0 END)
               * (CASE WHEN s.avatar_url IS NOT NULL THEN 1.2 ELSE 1.0 END)
               * (CASE WHEN $6::boolean AND s.local THEN 2.0 ELSE 1.0 END) DESC,
               s.display_name IS NULL, s.avatar_url IS NULL, s.user_id
      LIMIT $7`,
    [search.searcher, search.searchAllUsers === true, search.serverName, words, search.excludeRemoteUsers === true, search.preferLocalUsers === true, search.limit + 1],
  );
  return {
    results: rows.slice(0, search.limit).map((row) => ({ userId: row.user_id, displayName: row.display_name ?? undefined, avatarUrl: row.avatar_url ?? undefined })),
    limited: rows.length > search.limit,
  };
}
