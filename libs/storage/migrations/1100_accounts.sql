-- Accounts (CS-accounts): users, profiles, devices, access and refresh tokens, user-interactive
-- auth sessions, filters and account data. Tokens are stored only as SHA-256 digests and
-- passwords only as scrypt hashes, so a database leak does not leak credentials.

CREATE TABLE IF NOT EXISTS users (
  user_id text PRIMARY KEY,
  password_hash text,
  created_ts int8 NOT NULL,
  admin boolean NOT NULL DEFAULT false,
  is_guest boolean NOT NULL DEFAULT false,
  deactivated boolean NOT NULL DEFAULT false
);

CREATE TABLE IF NOT EXISTS profiles (
  user_id text PRIMARY KEY,
  displayname text,
  avatar_url text
);

CREATE TABLE IF NOT EXISTS devices (
  user_id text NOT NULL,
  device_id text NOT NULL,
  display_name text,
  last_seen_ts int8,
  last_seen_ip text,
  created_ts int8 NOT NULL,
  PRIMARY KEY (user_id, device_id)
);

-- A refresh token is consumed once: using it creates its successor (next_token_id), and the
-- first use of the successor deletes the consumed token (the spec's rotation rule).
CREATE TABLE IF NOT EXISTS refresh_tokens (
  id bigserial PRIMARY KEY,
  token_hash text NOT NULL UNIQUE,
  user_id text NOT NULL,
  device_id text NOT NULL,
  next_token_id int8 REFERENCES refresh_tokens (id) ON DELETE CASCADE,
  created_ts int8 NOT NULL
);

CREATE TABLE IF NOT EXISTS access_tokens (
  id bigserial PRIMARY KEY,
  token_hash text NOT NULL UNIQUE,
  user_id text NOT NULL,
  device_id text NOT NULL,
  -- NULL: never expires (the client did not ask for refresh tokens).
  valid_until_ms int8,
  refresh_token_id int8 REFERENCES refresh_tokens (id) ON DELETE CASCADE,
  -- First use of a token minted by /refresh revokes the refresh token it replaced.
  used boolean NOT NULL DEFAULT false,
  created_ts int8 NOT NULL
);
CREATE INDEX IF NOT EXISTS access_tokens_user_device ON access_tokens (user_id, device_id);
CREATE INDEX IF NOT EXISTS refresh_tokens_user_device ON refresh_tokens (user_id, device_id);

-- User-interactive auth sessions: which stages are done, and what the first request was, so a
-- client cannot swap the operation half way through.
CREATE TABLE IF NOT EXISTS ui_auth_sessions (
  session_id text PRIMARY KEY,
  created_ts int8 NOT NULL,
  uri text NOT NULL,
  method text NOT NULL,
  user_id text,
  completed jsonb NOT NULL DEFAULT '[]'::jsonb
);

CREATE TABLE IF NOT EXISTS user_filters (
  user_id text NOT NULL,
  filter_id int8 NOT NULL,
  filter_json jsonb NOT NULL,
  PRIMARY KEY (user_id, filter_id)
);

-- Account data, global (room_id = '') and per room; each write moves the row to a new position
-- of the account_data stream so /sync sends what changed since a token.
CREATE SEQUENCE IF NOT EXISTS stream_seq_account_data MINVALUE 1;
CREATE TABLE IF NOT EXISTS account_data (
  user_id text NOT NULL,
  room_id text NOT NULL DEFAULT '',
  data_type text NOT NULL,
  content jsonb NOT NULL,
  position int8 NOT NULL,
  instance_name text NOT NULL,
  PRIMARY KEY (user_id, room_id, data_type)
);
CREATE INDEX IF NOT EXISTS account_data_position ON account_data (instance_name, position);
CREATE INDEX IF NOT EXISTS account_data_user_position ON account_data (user_id, position);
