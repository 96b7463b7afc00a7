// Public entry of @homeserver/protocol.
