-- The views of the events stream each event belongs to (bits: 1 federation, 2 push), decided by
-- the room's persister when it writes the event: 1 when other servers may be owed it (its room
-- has remote members joined, or it concerns a remote user), 2 when it produced push actions.
-- The federation sender and pusher follow only their view (on the bus and when catching up), so
-- they hear nothing of rooms they have no work in. Rows written before this column existed, and
-- rows inserted by other paths, belong to every view: consumers then decide as before.
ALTER TABLE events ADD COLUMN IF NOT EXISTS stream_views smallint NOT NULL DEFAULT 3;
CREATE INDEX IF NOT EXISTS events_view_federation ON events (instance_name, stream_ordering) WHERE (stream_views & 1) <> 0;
CREATE INDEX IF NOT EXISTS events_view_push ON events (instance_name, stream_ordering) WHERE (stream_views & 2) <> 0;
