// Public entry of @homeserver/matrix.
