// Public entry of @homeserver/event-persister.
