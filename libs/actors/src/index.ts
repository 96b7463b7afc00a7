// Public entry of @homeserver/actors.
