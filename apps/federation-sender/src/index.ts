// Public entry of @homeserver/federation-sender.
