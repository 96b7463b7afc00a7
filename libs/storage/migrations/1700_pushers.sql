-- Pushers (POST /pushers/set) and the pusher role's durable outbox.
--
-- A pusher is unique per (app_id, pushkey, user_id), as in Synapse. push_outbox holds each
-- notification the pusher role still owes a pusher: rows are inserted by the role's events and
-- receipts consumers in the same transaction that stores their stream position (so a consumer
-- that restarts misses nothing), and marked sent once the push gateway accepted the push; sent
-- rows stay a while so that a batch delivered again (the consumer is at-least-once) does not
-- enqueue an event twice. Deleting a pusher drops what it was still owed.
CREATE TABLE IF NOT EXISTS pushers (
  id bigserial PRIMARY KEY,
  user_id text NOT NULL,
  device_id text,
  kind text NOT NULL,
  app_id text NOT NULL,
  app_display_name text NOT NULL,
  device_display_name text NOT NULL,
  pushkey text NOT NULL,
  -- When the pusher was last set (ms); sent to gateways as pushkey_ts (seconds).
  pushkey_ts int8 NOT NULL,
  lang text NOT NULL,
  data jsonb NOT NULL,
  profile_tag text NOT NULL DEFAULT '',
  failing_since int8,
  last_success int8,
  UNIQUE (app_id, pushkey, user_id)
);
CREATE INDEX IF NOT EXISTS pushers_user ON pushers (user_id);

CREATE TABLE IF NOT EXISTS push_outbox (
  id bigserial PRIMARY KEY,
  pusher_id int8 NOT NULL REFERENCES pushers (id) ON DELETE CASCADE,
  user_id text NOT NULL,
  -- 'event': a notification for event_id; 'badge': a counts-only update after a read receipt.
  kind text NOT NULL,
  event_id text,
  room_id text,
  actions jsonb,
  created_ts int8 NOT NULL,
  sent_ts int8
);
-- An event is owed to a pusher once, whichever consumer run enqueued it.
CREATE UNIQUE INDEX IF NOT EXISTS push_outbox_event ON push_outbox (pusher_id, event_id) WHERE event_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS push_outbox_pending ON push_outbox (pusher_id, id) WHERE sent_ts IS NULL;
CREATE INDEX IF NOT EXISTS push_outbox_sent ON push_outbox (sent_ts) WHERE sent_ts IS NOT NULL;
