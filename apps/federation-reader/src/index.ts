// Public entry of @homeserver/federation-reader.
