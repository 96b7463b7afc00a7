-- Other servers' signing keys (federation core): one row per (server, key ID) with what we know
-- of its validity, and the signed key responses as received, which we re-serve as a notary
-- (/_matrix/key/v2/query) and which prove where a key came from.
--
-- A current key has valid_until_ts (the server's own, at most what it last told us) and no
-- expired_ts; a key the server lists under old_verify_keys has expired_ts. fetched_ts is when we
-- last learnt about the key: trust in a current key is capped at seven days past it.
CREATE TABLE IF NOT EXISTS server_keys (
  server_name text NOT NULL,
  key_id text NOT NULL,
  verify_key bytea NOT NULL,
  valid_until_ts int8,
  expired_ts int8,
  fetched_ts int8 NOT NULL,
  PRIMARY KEY (server_name, key_id)
);

-- The latest response per (server, who served it): the server itself or a notary.
CREATE TABLE IF NOT EXISTS server_key_responses (
  server_name text NOT NULL,
  from_server text NOT NULL,
  fetched_ts int8 NOT NULL,
  valid_until_ts int8 NOT NULL,
  key_json text NOT NULL,
  PRIMARY KEY (server_name, from_server)
);
