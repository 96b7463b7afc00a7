-- Caches of stored events (the sync role's state events and timeline pages) must also forget a
-- room's events when one of them is redacted: the redaction updates events.redacted_by, and a
-- redaction stored behind the timeline (backfill) moves no stream that could tell them. Same
-- channel as deletions (2002): a listener drops what it holds of the room either way.
CREATE OR REPLACE FUNCTION notify_event_redacted() RETURNS trigger AS $$
BEGIN
  PERFORM pg_notify('hs_events_removed', NEW.room_id);
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS events_redacted ON events;
CREATE TRIGGER events_redacted AFTER UPDATE OF redacted_by ON events
  FOR EACH ROW WHEN (OLD.redacted_by IS DISTINCT FROM NEW.redacted_by) EXECUTE FUNCTION notify_event_redacted();
