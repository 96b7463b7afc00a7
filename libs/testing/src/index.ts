// Public entry of @homeserver/testing.
