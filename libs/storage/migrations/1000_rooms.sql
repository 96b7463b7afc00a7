-- Rooms and events (CS-rooms). The room persister actor (libs/roles/event-persister) is the only
-- writer of these tables for a given room; readers (sync, rooms endpoints) use
-- libs/storage/src/rooms/*.

-- Positions of the `events` stream. libs/streams' writer creates the same sequence with
-- IF NOT EXISTS, so both agree; creating it here lets storage tests allocate without a writer.
CREATE SEQUENCE IF NOT EXISTS stream_seq_events MINVALUE 1;

CREATE TABLE IF NOT EXISTS rooms (
  room_id text PRIMARY KEY,
  room_version text NOT NULL,
  creator text,
  is_public boolean NOT NULL DEFAULT false,
  created_ts int8 NOT NULL
);

-- One row per persisted PDU. `json` is the full PDU text exactly as hashed and signed.
-- Topological order is (depth, stream_ordering); stream order is stream_ordering.
CREATE TABLE IF NOT EXISTS events (
  event_id text PRIMARY KEY,
  room_id text NOT NULL,
  type text NOT NULL,
  state_key text,
  sender text NOT NULL,
  depth int8 NOT NULL,
  origin_server_ts int8 NOT NULL,
  stream_ordering int8 NOT NULL UNIQUE,
  instance_name text NOT NULL,
  json text NOT NULL,
  -- m.room.redaction: the event it redacts.
  redacts text,
  -- Set on the target when an accepted redaction applies to it: the redaction's event ID.
  redacted_by text,
  -- Non-null: the event failed authorization and is kept only for the DAG.
  rejected text,
  outlier boolean NOT NULL DEFAULT false,
  -- State groups of the room state before and after this event (equal for message events).
  state_group_before int8,
  state_group_after int8
);
CREATE INDEX IF NOT EXISTS events_room_stream ON events (room_id, stream_ordering);
CREATE INDEX IF NOT EXISTS events_room_topo ON events (room_id, depth, stream_ordering);
CREATE INDEX IF NOT EXISTS events_room_ts ON events (room_id, origin_server_ts);

CREATE TABLE IF NOT EXISTS event_edges (
  event_id text NOT NULL,
  prev_event_id text NOT NULL,
  room_id text NOT NULL,
  PRIMARY KEY (event_id, prev_event_id)
);
CREATE INDEX IF NOT EXISTS event_edges_prev ON event_edges (prev_event_id);

CREATE TABLE IF NOT EXISTS event_auth (
  event_id text NOT NULL,
  auth_id text NOT NULL,
  room_id text NOT NULL,
  PRIMARY KEY (event_id, auth_id)
);

CREATE TABLE IF NOT EXISTS event_forward_extremities (
  room_id text NOT NULL,
  event_id text NOT NULL,
  PRIMARY KEY (room_id, event_id)
);

CREATE TABLE IF NOT EXISTS current_state_events (
  room_id text NOT NULL,
  type text NOT NULL,
  state_key text NOT NULL,
  event_id text NOT NULL,
  -- Only for m.room.member: the member's membership, so "who is joined" needs no JSON.
  membership text,
  stream_ordering int8 NOT NULL,
  PRIMARY KEY (room_id, type, state_key)
);
CREATE INDEX IF NOT EXISTS current_state_members ON current_state_events (state_key, membership) WHERE type = 'm.room.member';

-- State groups: a group is either a full snapshot (prev_group NULL) or a delta on prev_group.
-- Chains are cut by a snapshot every N deltas so reading a state costs a bounded walk and
-- large rooms never copy their whole state per event.
CREATE SEQUENCE IF NOT EXISTS state_group_seq MINVALUE 1;
CREATE TABLE IF NOT EXISTS state_groups (
  id int8 PRIMARY KEY,
  room_id text NOT NULL,
  prev_group int8,
  delta_depth int NOT NULL,
  event_id text
);
CREATE TABLE IF NOT EXISTS state_group_entries (
  state_group int8 NOT NULL,
  type text NOT NULL,
  state_key text NOT NULL,
  event_id text NOT NULL,
  PRIMARY KEY (state_group, type, state_key)
);

-- Membership history: one row per m.room.member event, in stream order.
CREATE TABLE IF NOT EXISTS room_memberships (
  event_id text PRIMARY KEY,
  room_id text NOT NULL,
  user_id text NOT NULL,
  sender text NOT NULL,
  membership text NOT NULL,
  stream_ordering int8 NOT NULL,
  display_name text,
  avatar_url text,
  forgotten boolean NOT NULL DEFAULT false
);
CREATE INDEX IF NOT EXISTS room_memberships_user ON room_memberships (user_id, stream_ordering);
CREATE INDEX IF NOT EXISTS room_memberships_room ON room_memberships (room_id, user_id, stream_ordering);

-- Client transaction IDs: (room, user, device, txn) -> event, for idempotent PUT /send.
CREATE TABLE IF NOT EXISTS event_txn_ids (
  room_id text NOT NULL,
  user_id text NOT NULL,
  device_id text NOT NULL,
  txn_id text NOT NULL,
  event_id text NOT NULL,
  inserted_ts int8 NOT NULL,
  PRIMARY KEY (room_id, user_id, device_id, txn_id)
);
CREATE INDEX IF NOT EXISTS event_txn_ids_event ON event_txn_ids (event_id);

CREATE TABLE IF NOT EXISTS event_relations (
  event_id text PRIMARY KEY,
  room_id text NOT NULL,
  relates_to_id text NOT NULL,
  rel_type text NOT NULL,
  aggregation_key text
);
CREATE INDEX IF NOT EXISTS event_relations_target ON event_relations (relates_to_id, rel_type);

CREATE TABLE IF NOT EXISTS redactions (
  event_id text PRIMARY KEY,
  redacts text NOT NULL,
  room_id text NOT NULL
);
CREATE INDEX IF NOT EXISTS redactions_redacts ON redactions (redacts);

CREATE TABLE IF NOT EXISTS room_aliases (
  room_alias text PRIMARY KEY,
  room_id text NOT NULL,
  creator text NOT NULL,
  servers text[] NOT NULL DEFAULT '{}'
);
CREATE INDEX IF NOT EXISTS room_aliases_room ON room_aliases (room_id);
