// Public entry of @homeserver/sync.
