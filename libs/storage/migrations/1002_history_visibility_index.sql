-- History visibility (libs/services/src/history-visibility.ts) reads a room's
-- m.room.history_visibility events on every filtered read (/messages pages, /sync timelines of
-- newly joined or left rooms). Without this partial index that query walks all of the room's
-- events; with it, only the few visibility changes.
CREATE INDEX IF NOT EXISTS events_room_history_visibility ON events (room_id, stream_ordering)
  WHERE type = 'm.room.history_visibility' AND state_key = '';
