// Public entry of @homeserver/streams.
