-- The device lists of users on other servers who share a room with one of our users, kept
-- up to date from their servers' m.device_list_update EDUs (and /user/devices resyncs), so that
-- /keys/query for them is answered here. Their master and self-signing keys are kept in
-- e2e_cross_signing_keys, beside our own users' (as Synapse does).

-- One row per remote user whose list is cached: the stream_id of the last update applied
-- (the prev_id the next update must name), and whether a gap was seen that a resync must close.
CREATE TABLE IF NOT EXISTS remote_device_lists (
  user_id text PRIMARY KEY,
  stream_id int8 NOT NULL,
  resync_needed boolean NOT NULL DEFAULT false
);

-- The cached devices: their signed device keys (absent for a device with none) and display name.
CREATE TABLE IF NOT EXISTS remote_devices (
  user_id text NOT NULL REFERENCES remote_device_lists (user_id) ON DELETE CASCADE,
  device_id text NOT NULL,
  display_name text,
  key_json jsonb,
  PRIMARY KEY (user_id, device_id)
);
