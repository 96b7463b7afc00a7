// Public entry of @homeserver/main.
