-- GET /notifications pages through one user's notifying push actions, newest first, across
-- all their rooms; event_push_actions_room is keyed by room, so without this index every page
-- sorted all of the user's rows.
CREATE INDEX IF NOT EXISTS event_push_actions_user_stream ON event_push_actions (user_id, stream_ordering);
