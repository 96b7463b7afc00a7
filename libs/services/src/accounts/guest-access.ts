// Which client endpoints a guest account's access token may call: the servlets Synapse
// authenticates with allow_guest=True (sync and events, reading rooms they may see, sending
// messages and state, joining and leaving, profiles, devices, E2E keys, to-device, media
// downloads, third-party lookups, hierarchy, capabilities, whoami, versions). Every other
// endpoint answers a guest 403 M_GUEST_ACCESS_FORBIDDEN, as Synapse's auth does.
//
// Patterns are matched against the request path without its query string.

const CLIENT = '^/_matrix/client/(?:api/v1|r0|v3|v1|unstable)';
const ROOM = `${CLIENT}/rooms/[^/]+`;

const GUEST_ROUTES: ReadonlyArray<{ readonly methods: readonly string[]; readonly pattern: RegExp }> = [
  ['GET', '^/_matrix/client/versions$'],
  ['GET', `${CLIENT}/account/whoami$`],
  ['GET', `${CLIENT}/capabilities$`],
  ['GET', `${CLIENT}/sync$`],
  ['GET', `${CLIENT}/events$`],
  ['GET', `${CLIENT}/joined_rooms$`],
  ['GET POST', `${CLIENT}/publicRooms$`],
  ['GET', `${CLIENT}/devices$`],
  ['GET PUT', `${CLIENT}/devices/[^/]+$`],
  ['POST', `${CLIENT}/keys/(?:upload(?:/[^/]+)?|query|claim|signatures/upload)$`],
  ['GET', `${CLIENT}/keys/changes$`],
  ['PUT', `${CLIENT}/sendToDevice/[^/]+/[^/]+$`],
  ['GET', `${CLIENT}/profile/`],
  // Guests may set their display name only (Synapse: allow_guest for the displayname field).
  ['PUT', `${CLIENT}/profile/[^/]+/displayname$`],
  ['GET', `${CLIENT}/voip/turnServer$`],
  ['GET', `${CLIENT}/thirdparty/`],
  ['GET', '^/_matrix/client/v1/media/(?:download|thumbnail)/'],
  ['POST PUT', `${CLIENT}/join/[^/]+(?:/[^/]+)?$`],
  ['POST PUT', `${ROOM}/(?:join|leave)(?:/[^/]+)?$`],
  ['PUT POST', `${ROOM}/send/[^/]+(?:/[^/]+)?$`],
  ['GET PUT', `${ROOM}/state(?:/.*)?$`],
  ['GET', `${ROOM}/(?:members|messages|initialSync|hierarchy)$`],
  ['GET', `${ROOM}/(?:event|context)/[^/]+$`],
  ['GET', `${ROOM}/relations/`],
].map(([methods, pattern]) => ({ methods: methods!.split(' '), pattern: new RegExp(pattern!) }));

/** Whether a guest may call `method` on `path` (a query string, if any, is ignored). */
export function guestMayAccess(method: string, path: string): boolean {
  const bare = path.split('?')[0] ?? path;
  const verb = method === 'HEAD' ? 'GET' : method;
  return GUEST_ROUTES.some((route) => route.methods.includes(verb) && route.pattern.test(bare));
}
