// Public entry of @homeserver/pusher.
