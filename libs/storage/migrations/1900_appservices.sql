-- Application services: the notifier's durable outbox, the transaction counter per appservice,
-- and the rooms appservices published in their networks' part of the room directory.
--
-- appservice_outbox holds what each appservice is still owed, in the order it must receive it
-- (id). Rows are inserted by the notifier's stream consumers in the same transaction that stores
-- their stream position, so a notifier that restarts misses nothing and enqueues nothing twice.
-- A sender groups the oldest rows into a transaction: txn_id is set (and the counter bumped)
-- before the first attempt, so a retry after a failure or a crash sends the same transaction ID
-- with the same events, which the appservice deduplicates; rows are deleted once it answered 200.
CREATE TABLE IF NOT EXISTS appservice_outbox (
  id bigserial PRIMARY KEY,
  appservice_id text NOT NULL,
  -- An event of the events stream (rendered when sent) or an ephemeral event (edu).
  event_id text,
  edu jsonb,
  txn_id int8,
  created_ts int8 NOT NULL,
  CHECK ((event_id IS NULL) <> (edu IS NULL))
);
CREATE INDEX IF NOT EXISTS appservice_outbox_pending ON appservice_outbox (appservice_id, id);
CREATE UNIQUE INDEX IF NOT EXISTS appservice_outbox_event ON appservice_outbox (appservice_id, event_id) WHERE event_id IS NOT NULL;

CREATE TABLE IF NOT EXISTS appservice_txns (
  appservice_id text PRIMARY KEY,
  last_txn_id int8 NOT NULL
);

CREATE TABLE IF NOT EXISTS appservice_room_list (
  appservice_id text NOT NULL,
  network_id text NOT NULL,
  room_id text NOT NULL,
  PRIMARY KEY (appservice_id, network_id, room_id)
);
