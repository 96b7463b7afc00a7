// Public entry of @homeserver/media.
