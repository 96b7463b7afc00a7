// Public entry of @homeserver/storage.
