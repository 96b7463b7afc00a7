-- The admin API (Synapse's /_synapse/admin): per-user flags an admin sets, users whose data was
-- erased, per-user rate-limit overrides, blocked rooms, registration tokens and the record of
-- long admin tasks (room deletion, history purges) that clients poll.

ALTER TABLE users ADD COLUMN IF NOT EXISTS locked boolean NOT NULL DEFAULT false;
ALTER TABLE users ADD COLUMN IF NOT EXISTS shadow_banned boolean NOT NULL DEFAULT false;
ALTER TABLE users ADD COLUMN IF NOT EXISTS user_type text;

-- Deactivated with erase=true: their events are served redacted to users who join later.
CREATE TABLE IF NOT EXISTS erased_users (
  user_id text PRIMARY KEY
);

-- Synapse's ratelimit_override: 0/0 means "never limited".
CREATE TABLE IF NOT EXISTS ratelimit_override (
  user_id text PRIMARY KEY,
  messages_per_second int8 NOT NULL,
  burst_count int8 NOT NULL
);

-- Rooms no local user may join (DELETE /v2/rooms/{roomId} with block: true).
CREATE TABLE IF NOT EXISTS blocked_rooms (
  room_id text PRIMARY KEY,
  user_id text NOT NULL
);

-- Registration tokens (MSC3231): pending counts sessions that passed the stage but have not
-- finished registering; completed counts registrations made with the token.
CREATE TABLE IF NOT EXISTS registration_tokens (
  token text PRIMARY KEY,
  uses_allowed int8,
  pending int8 NOT NULL DEFAULT 0,
  completed int8 NOT NULL DEFAULT 0,
  expiry_time int8
);

-- Long admin tasks, polled by ID (Synapse's scheduled_tasks for shutdown/purge).
CREATE TABLE IF NOT EXISTS admin_tasks (
  id text PRIMARY KEY,
  action text NOT NULL,
  resource_id text NOT NULL,
  status text NOT NULL,
  result jsonb,
  error text,
  created_ts int8 NOT NULL
);
CREATE INDEX IF NOT EXISTS admin_tasks_resource ON admin_tasks (resource_id, created_ts);
