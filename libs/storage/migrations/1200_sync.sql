-- Ephemeral and per-user streams read by /sync (CS-sync): typing, receipts, presence,
-- to-device messages, device-list changes, end-to-end keys and per-user push actions.
-- Every stream table carries (position, instance_name) so libs/streams readers can catch up
-- from it; the sequences are created here too so storage tests can allocate without writers.
CREATE SEQUENCE IF NOT EXISTS stream_seq_typing MINVALUE 1;
CREATE SEQUENCE IF NOT EXISTS stream_seq_receipts MINVALUE 1;
CREATE SEQUENCE IF NOT EXISTS stream_seq_presence MINVALUE 1;
CREATE SEQUENCE IF NOT EXISTS stream_seq_to_device MINVALUE 1;
CREATE SEQUENCE IF NOT EXISTS stream_seq_device_lists MINVALUE 1;

-- Typing lives in the writer's memory (with timeouts); each change of a room's typing set is
-- recorded here as the whole set after the change, so readers can catch up and /sync can
-- answer "who types now" with the room's latest row. Old rows are pruned by the writer.
CREATE TABLE IF NOT EXISTS typing_stream (
  position int8 PRIMARY KEY,
  instance_name text NOT NULL,
  room_id text NOT NULL,
  user_ids jsonb NOT NULL
);
CREATE INDEX IF NOT EXISTS typing_stream_room ON typing_stream (room_id, position);

-- The latest receipt per (room, type, user, thread); a new receipt moves the row's position.
-- thread_id '' is the unthreaded receipt.
CREATE TABLE IF NOT EXISTS receipts (
  room_id text NOT NULL,
  receipt_type text NOT NULL,
  user_id text NOT NULL,
  thread_id text NOT NULL DEFAULT '',
  event_id text NOT NULL,
  ts int8 NOT NULL,
  -- stream_ordering of event_id when known, so unread counts compare positions, not ids.
  event_stream_ordering int8,
  position int8 NOT NULL,
  instance_name text NOT NULL,
  PRIMARY KEY (room_id, receipt_type, user_id, thread_id)
);
CREATE INDEX IF NOT EXISTS receipts_position ON receipts (position);
CREATE INDEX IF NOT EXISTS receipts_room_position ON receipts (room_id, position);

CREATE TABLE IF NOT EXISTS presence (
  user_id text PRIMARY KEY,
  state text NOT NULL,
  status_msg text,
  last_active_ts int8 NOT NULL,
  currently_active boolean NOT NULL DEFAULT false,
  position int8 NOT NULL,
  instance_name text NOT NULL
);
CREATE INDEX IF NOT EXISTS presence_position ON presence (position);

-- To-device messages waiting for one device; deleted once a later sync acknowledges them.
CREATE TABLE IF NOT EXISTS device_inbox (
  position int8 PRIMARY KEY,
  instance_name text NOT NULL,
  user_id text NOT NULL,
  device_id text NOT NULL,
  sender text NOT NULL,
  type text NOT NULL,
  content jsonb NOT NULL
);
CREATE INDEX IF NOT EXISTS device_inbox_target ON device_inbox (user_id, device_id, position);

-- PUT /sendToDevice is idempotent per (sender, device, txn_id).
CREATE TABLE IF NOT EXISTS to_device_txns (
  user_id text NOT NULL,
  device_id text NOT NULL,
  txn_id text NOT NULL,
  inserted_ts int8 NOT NULL,
  PRIMARY KEY (user_id, device_id, txn_id)
);

-- A user's device list changed (keys uploaded, device added or removed).
CREATE TABLE IF NOT EXISTS device_list_changes (
  position int8 PRIMARY KEY,
  instance_name text NOT NULL,
  user_id text NOT NULL,
  device_id text NOT NULL
);
CREATE INDEX IF NOT EXISTS device_list_changes_user ON device_list_changes (user_id, position);

CREATE TABLE IF NOT EXISTS e2e_device_keys (
  user_id text NOT NULL,
  device_id text NOT NULL,
  key_json jsonb NOT NULL,
  PRIMARY KEY (user_id, device_id)
);

CREATE TABLE IF NOT EXISTS e2e_one_time_keys (
  user_id text NOT NULL,
  device_id text NOT NULL,
  algorithm text NOT NULL,
  key_id text NOT NULL,
  key_json jsonb NOT NULL,
  PRIMARY KEY (user_id, device_id, algorithm, key_id)
);

-- At most one fallback key per algorithm; `used` once claimed (reported to the client).
CREATE TABLE IF NOT EXISTS e2e_fallback_keys (
  user_id text NOT NULL,
  device_id text NOT NULL,
  algorithm text NOT NULL,
  key_id text NOT NULL,
  key_json jsonb NOT NULL,
  used boolean NOT NULL DEFAULT false,
  PRIMARY KEY (user_id, device_id, algorithm)
);

-- The outcome of each user's push rules for each event that notifies them, computed once
-- when the event reaches the sync role; unread counts sum these after the read receipt.
CREATE TABLE IF NOT EXISTS event_push_actions (
  user_id text NOT NULL,
  event_id text NOT NULL,
  room_id text NOT NULL,
  stream_ordering int8 NOT NULL,
  thread_id text NOT NULL DEFAULT 'main',
  notify boolean NOT NULL,
  highlight boolean NOT NULL,
  actions jsonb NOT NULL,
  PRIMARY KEY (user_id, event_id)
);
CREATE INDEX IF NOT EXISTS event_push_actions_room ON event_push_actions (user_id, room_id, stream_ordering);
