-- The room input (libs/roles/event-persister): events that do not enter the timeline, and
-- fenced ownership of each room by one persister instance.

-- Soft-failed events (issue 8): they pass their auth events and the state before them but not
-- the room's current state. Stored for the DAG and for state at later events, never served in
-- timelines and never a forward extremity.
ALTER TABLE events ADD COLUMN IF NOT EXISTS soft_failed boolean NOT NULL DEFAULT false;

-- Orderings of events stored behind the timeline (outliers, backfilled history, soft-failed
-- and rejected events): stream_ordering = -nextval, so they sort before every timeline event
-- (backfill reads older history first, as Synapse's negative stream orderings do) and no
-- `events` stream reader ever sees them as new.
CREATE SEQUENCE IF NOT EXISTS events_behind_seq MINVALUE 1;

-- One owner per room at a time. The persister actor takes the row when it activates (a new
-- epoch), every commit to the room checks it inside its transaction (a commit by a process that
-- is not the owner at that epoch fails and rolls back), and passivation or stop releases it.
-- The head columns record the state group of the room's current state after the owner's last
-- commit, so a new owner chains its state groups on the right one.
CREATE TABLE IF NOT EXISTS room_owners (
  room_id text PRIMARY KEY,
  instance_name text NOT NULL,
  epoch int8 NOT NULL,
  -- NULL while held; the time of release otherwise (a released room is taken without waiting).
  released_ts int8,
  acquired_ts int8 NOT NULL,
  head_state_group int8,
  head_delta_depth int NOT NULL DEFAULT 0
);
