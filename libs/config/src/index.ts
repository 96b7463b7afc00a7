// Public entry of @homeserver/config.
