-- Signed key responses are kept per key ID (as Synapse's server_keys_json), not per answering
-- server: a later response that no longer lists a key (the server forgot it, or a spurious
-- answer) must not replace the response a notary still needs to vouch for that key. The table
-- is a cache of what the servers signed; its rows are fetched again when asked for.
DROP TABLE IF EXISTS server_key_responses;
CREATE TABLE server_key_responses (
  server_name text NOT NULL,
  key_id text NOT NULL,
  from_server text NOT NULL,
  fetched_ts int8 NOT NULL,
  valid_until_ts int8 NOT NULL,
  key_json text NOT NULL,
  PRIMARY KEY (server_name, key_id, from_server)
);
