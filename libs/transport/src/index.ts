// Public entry of @homeserver/transport.
