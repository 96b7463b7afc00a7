-- Caches of timeline pages (the sync role's) must forget a room's pages when events of it are
-- deleted: a history purge, a room purge, an outlier replaced. One NOTIFY per room of each
-- deleting statement, on channel hs_events_removed, delivered at commit to every process
-- listening on this database.
CREATE OR REPLACE FUNCTION notify_events_removed() RETURNS trigger AS $$
BEGIN
  PERFORM pg_notify('hs_events_removed', room_id) FROM (SELECT DISTINCT room_id FROM removed) rooms;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS events_removed ON events;
CREATE TRIGGER events_removed AFTER DELETE ON events REFERENCING OLD TABLE AS removed
  FOR EACH STATEMENT EXECUTE FUNCTION notify_events_removed();
