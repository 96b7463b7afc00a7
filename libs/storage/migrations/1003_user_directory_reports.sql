-- User directory search and content reports.

-- POST /user_directory/search finds the rooms whose members everyone may find (join rule
-- `public` or history `world_readable`, as Synapse's users_in_public_rooms) from the current
-- join rules and history visibility of every room; this index holds just those two rows per
-- room, so the search never walks the whole current state.
CREATE INDEX IF NOT EXISTS current_state_publicity ON current_state_events (type, room_id)
  WHERE state_key = '' AND type IN ('m.room.join_rules', 'm.room.history_visibility');

-- Reports for the server's admins (Synapse's event_reports, room_reports, user_reports).
CREATE TABLE IF NOT EXISTS event_reports (
  id bigserial PRIMARY KEY,
  received_ts int8 NOT NULL,
  room_id text NOT NULL,
  event_id text NOT NULL,
  user_id text NOT NULL,
  reason text,
  -- The whole request body (reason, the deprecated score, anything a client adds).
  content jsonb NOT NULL
);
CREATE INDEX IF NOT EXISTS event_reports_room ON event_reports (room_id, received_ts);

CREATE TABLE IF NOT EXISTS room_reports (
  id bigserial PRIMARY KEY,
  received_ts int8 NOT NULL,
  room_id text NOT NULL,
  user_id text NOT NULL,
  reason text NOT NULL
);
CREATE INDEX IF NOT EXISTS room_reports_room ON room_reports (room_id, received_ts);

CREATE TABLE IF NOT EXISTS user_reports (
  id bigserial PRIMARY KEY,
  received_ts int8 NOT NULL,
  target_user_id text NOT NULL,
  user_id text NOT NULL,
  reason text NOT NULL
);
CREATE INDEX IF NOT EXISTS user_reports_target ON user_reports (target_user_id, received_ts);
