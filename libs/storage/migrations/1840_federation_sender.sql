-- The federation sender's durable per-destination queues (libs/roles/federation-sender).
-- Rows are written by the sender's stream consumers inside the delivery transaction that also
-- saves their position, so each PDU/EDU is enqueued exactly once per destination; a queue sends
-- them in transactions and deletes them once the destination answered 200.

-- Per destination: Synapse's retry state (the `destinations` table's columns) and the counter
-- the next transaction ID is made from.
CREATE TABLE IF NOT EXISTS federation_destinations (
  destination text PRIMARY KEY,
  -- When the last failing attempt was made (ms); 0 when the destination is healthy.
  retry_last_ts int8 NOT NULL DEFAULT 0,
  -- How long after retry_last_ts the next attempt may be made (ms); 0 when healthy.
  retry_interval int8 NOT NULL DEFAULT 0,
  -- When the current run of failures began (ms); NULL when healthy.
  failure_ts int8,
  -- The stream ordering of the newest PDU the destination accepted.
  last_successful_stream_ordering int8,
  next_txn int8 NOT NULL DEFAULT 1
);

-- PDUs owed to a destination. txn_id is set once the PDU is part of the destination's
-- transaction in flight (federation_pending_txns), so a retry resends exactly that transaction.
CREATE TABLE IF NOT EXISTS federation_outbox_pdus (
  destination text NOT NULL,
  event_id text NOT NULL,
  room_id text NOT NULL,
  stream_ordering int8 NOT NULL,
  txn_id text,
  PRIMARY KEY (destination, event_id)
);
CREATE INDEX IF NOT EXISTS federation_outbox_pdus_order ON federation_outbox_pdus (destination, stream_ordering);

-- EDUs owed to a destination. An unsent EDU with the same coalesce_key (typing of a user in a
-- room, presence of a user) is replaced by a newer one: only the latest matters.
CREATE TABLE IF NOT EXISTS federation_outbox_edus (
  id bigserial PRIMARY KEY,
  destination text NOT NULL,
  edu_type text NOT NULL,
  content text NOT NULL,
  coalesce_key text,
  txn_id text
);
CREATE INDEX IF NOT EXISTS federation_outbox_edus_dest ON federation_outbox_edus (destination, id);
CREATE UNIQUE INDEX IF NOT EXISTS federation_outbox_edus_coalesce ON federation_outbox_edus (destination, coalesce_key) WHERE coalesce_key IS NOT NULL AND txn_id IS NULL;

-- The one transaction in flight per destination: built once, resent with the same ID and
-- contents until the destination answers, so a receiver deduplicating by (origin, txn ID) never
-- sees it twice.
CREATE TABLE IF NOT EXISTS federation_pending_txns (
  destination text PRIMARY KEY,
  txn_id text NOT NULL,
  created_ts int8 NOT NULL
);
