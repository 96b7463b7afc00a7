-- In room version 12 the room ID is the hash of the create event, whose only entropy besides the
-- sender and the content is origin_server_ts: two identical createRoom calls by one user in the
-- same millisecond would name the same room. Each local user's create events take strictly
-- increasing timestamps from this row (one per user who has created a room), so that cannot
-- happen, whichever process creates the room.
CREATE TABLE IF NOT EXISTS room_create_clock (
  sender text PRIMARY KEY,
  last_ts int8 NOT NULL
);
