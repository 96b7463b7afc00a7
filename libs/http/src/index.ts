// Public entry of @homeserver/http.
