-- Inbound federation (libs/roles/federation-reader): transactions received from other servers,
-- kept so that a transaction sent again (a retry after a lost answer, or a replay) is answered
-- with the first answer and its PDUs and EDUs are not processed twice. Synapse keeps the same
-- (received_transactions) for a day.
CREATE TABLE IF NOT EXISTS federation_inbound_txns (
  origin text NOT NULL,
  txn_id text NOT NULL,
  -- The /send answer given the first time (canonical JSON text).
  response_json text NOT NULL,
  received_ts int8 NOT NULL,
  PRIMARY KEY (origin, txn_id)
);
CREATE INDEX IF NOT EXISTS federation_inbound_txns_ts ON federation_inbound_txns (received_ts);
