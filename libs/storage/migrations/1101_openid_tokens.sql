-- OpenID tokens (POST /user/{userId}/openid/request_token): a third party exchanges one for
-- the user's ID through the federation API's /openid/userinfo. Stored as SHA-256 digests,
-- as access tokens are.
CREATE TABLE IF NOT EXISTS open_id_tokens (
  token_hash text PRIMARY KEY,
  user_id text NOT NULL,
  ts_valid_until_ms int8 NOT NULL
);
CREATE INDEX IF NOT EXISTS open_id_tokens_expiry ON open_id_tokens (ts_valid_until_ms);
