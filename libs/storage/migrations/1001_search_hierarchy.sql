-- Server-side search (POST /search) and space hierarchy pagination (GET /hierarchy).

-- One row per searchable string of an event, as Synapse's event_search: `key` is the content
-- field searched (content.body of m.room.message, content.name of m.room.name, content.topic of
-- m.room.topic) and `vector` its English tsvector. Filled in the persister's group commit
-- (insertSearchEntries); readers join `events` so redacted events drop out of results.
CREATE TABLE IF NOT EXISTS event_search (
  event_id text NOT NULL,
  room_id text NOT NULL,
  key text NOT NULL,
  vector tsvector NOT NULL,
  stream_ordering int8 NOT NULL,
  origin_server_ts int8 NOT NULL,
  PRIMARY KEY (event_id, key)
);
CREATE INDEX IF NOT EXISTS event_search_vector ON event_search USING gin (vector);
CREATE INDEX IF NOT EXISTS event_search_room_recent ON event_search (room_id, origin_server_ts, stream_ordering);

-- Index what was stored before this migration. Rows whose JSON the jsonb parser refuses (an
-- escaped NUL or a lone surrogate, both legal in event JSON) are left out rather than failing
-- the migration; they only lose searchability.
INSERT INTO event_search (event_id, room_id, key, vector, stream_ordering, origin_server_ts)
SELECT event_id, room_id, key, to_tsvector('english', value), stream_ordering, origin_server_ts
  FROM (
    SELECT e.event_id, e.room_id, e.stream_ordering, e.origin_server_ts,
           CASE e.type WHEN 'm.room.message' THEN 'content.body' WHEN 'm.room.name' THEN 'content.name' ELSE 'content.topic' END AS key,
           e.json::jsonb -> 'content' -> (CASE e.type WHEN 'm.room.message' THEN 'body' WHEN 'm.room.name' THEN 'name' ELSE 'topic' END) AS field
      FROM events e
     WHERE e.type IN ('m.room.message', 'm.room.name', 'm.room.topic')
       AND e.rejected IS NULL AND e.redacted_by IS NULL AND NOT e.outlier
       AND strpos(e.json, '\u0000') = 0 AND e.json !~* '\\ud[89a-f]'
  ) candidates
  CROSS JOIN LATERAL (SELECT field #>> '{}' AS value) v
 WHERE jsonb_typeof(field) = 'string'
ON CONFLICT DO NOTHING;

-- Pagination state of GET /hierarchy (Synapse keeps the same in its `sessions` table): the
-- queue of rooms still to visit and the rooms already returned, pinned to the request's
-- parameters. Rows expire after five minutes; readers ignore and prune expired ones.
CREATE TABLE IF NOT EXISTS room_hierarchy_sessions (
  session_id text PRIMARY KEY,
  user_id text NOT NULL,
  value text NOT NULL,
  expiry_ts int8 NOT NULL
);
CREATE INDEX IF NOT EXISTS room_hierarchy_sessions_expiry ON room_hierarchy_sessions (expiry_ts);
