-- Cross-signing keys and signatures (POST /keys/device_signing/upload, /keys/signatures/upload)
-- and server-side room key backups (/room_keys/*). Device keys themselves are in 1200_sync.sql.

-- The latest key of each type per user; an upload replaces it. key_id is the unpadded base64
-- public key, which also names the key in device_list_changes and in signature targets.
CREATE TABLE IF NOT EXISTS e2e_cross_signing_keys (
  user_id text NOT NULL,
  key_type text NOT NULL CHECK (key_type IN ('master', 'self_signing', 'user_signing')),
  key_id text NOT NULL,
  key_json jsonb NOT NULL,
  PRIMARY KEY (user_id, key_type)
);

-- Signatures uploaded after the signed object: user_id's key key_id signed target_device_id
-- (a device ID or a cross-signing public key) of target_user_id. Merged into /keys/query.
CREATE TABLE IF NOT EXISTS e2e_cross_signing_signatures (
  user_id text NOT NULL,
  key_id text NOT NULL,
  target_user_id text NOT NULL,
  target_device_id text NOT NULL,
  signature text NOT NULL,
  PRIMARY KEY (target_user_id, target_device_id, user_id, key_id)
);

-- Backup versions per user: numbered from 1 and never reused (a deleted one stays as a
-- tombstone so a new version gets a higher number, as Synapse). etag counts key changes.
CREATE TABLE IF NOT EXISTS e2e_room_keys_versions (
  user_id text NOT NULL,
  version int8 NOT NULL,
  algorithm text NOT NULL,
  auth_data jsonb NOT NULL,
  etag int8 NOT NULL DEFAULT 0,
  deleted boolean NOT NULL DEFAULT false,
  PRIMARY KEY (user_id, version)
);

CREATE TABLE IF NOT EXISTS e2e_room_keys (
  user_id text NOT NULL,
  version int8 NOT NULL,
  room_id text NOT NULL,
  session_id text NOT NULL,
  first_message_index int8 NOT NULL,
  forwarded_count int8 NOT NULL,
  is_verified boolean NOT NULL,
  session_data jsonb NOT NULL,
  PRIMARY KEY (user_id, version, room_id, session_id)
);
