// The route table (ARCHITECTURE §3): for every client, federation, media and admin endpoint
// family, the path regex (in the shape of Synapse's worker docs, docs/workers.md), the role that
// serves it, the listener resource it lives on and its access-token requirement. Processes check
// the routes their roles register against it and authenticate from it before validating a
// body; tools/proxy-config renders it as nginx/haproxy routing. Paths no entry names go to main.
//
// Patterns are PCRE-compatible (nginx and haproxy use them verbatim) and anchored with `^`.
// For any (method, path) at most one entry matches: entries of one family split by method
// share the pattern and the role, only the auth differs.

/** The roles that serve public HTTP; the others (persister, senders, pushers) serve none. */
export type RouteRole = 'main' | 'sync' | 'federation-reader' | 'media';

/**
 * Access-token authentication: `required` (401 without a valid token), `optional` (a token is
 * resolved when sent, and an invalid one is a 401, as Synapse does) or `none` (tokens are not
 * looked at; federation endpoints authenticate by X-Matrix signature instead).
 */
export type RouteAuth = 'required' | 'optional' | 'none';

/** The listener resource (Synapse's `resources[].names`) a family is served on. */
export type RouteResource = 'client' | 'federation' | 'keys' | 'media';

/**
 * How a reverse proxy spreads a family over several instances: by the user behind the access
 * token (a user's syncs share caches), by the sending server (one origin's transactions in
 * order), or round robin when absent.
 */
export type RouteAffinity = 'access-token' | 'origin';

export interface RouteEntry {
  /** Stable name of the family, e.g. `client.sync`. */
  readonly id: string;
  /** Regex source matched against the request path (no query string). */
  readonly pattern: string;
  /** Methods this entry covers (HEAD counts as GET). Default: every method. */
  readonly methods?: readonly string[];
  readonly role: RouteRole;
  readonly resource: RouteResource;
  readonly auth: RouteAuth;
  /** Default: round robin. */
  readonly affinity?: RouteAffinity;
}

// Version prefixes as Synapse's lists spell them.
const ALL = '(api/v1|r0|v3|unstable)';
const R0 = '(r0|v3|unstable)';
const CLIENT = '^/_matrix/client';
const ROOM = `${CLIENT}/${ALL}/rooms/[^/]+`;
// The v1 admin paths the media role serves; every other admin path belongs to main.
const ADMIN_MEDIA = '(purge_media_cache$|media/|quarantine_media/|(room|user)/[^/]+/media|users/[^/]+/media$)';

function client(id: string, pattern: string, auth: RouteAuth, more: Partial<RouteEntry> = {}): RouteEntry {
  return { id: `client.${id}`, pattern, role: 'main', resource: 'client', auth, ...more };
}

/** A sync-role family; `hashed` ones go to one instance per user (their caches are per user). */
function sync(id: string, pattern: string, hashed: boolean): RouteEntry {
  return { id: `client.${id}`, pattern, role: 'sync', resource: 'client', auth: 'required', ...(hashed ? { affinity: 'access-token' as const } : {}) };
}

export const ROUTE_TABLE: readonly RouteEntry[] = [
  // --- sync: long-polls and the initial snapshot, one user's requests to one instance --------
  sync('sync', `${CLIENT}/(r0|v3)/sync$`, true),
  sync('events', `${CLIENT}/(api/v1|r0|v3)/events$`, true),
  sync('initial-sync', `${CLIENT}/(api/v1|r0|v3)/initialSync$`, true),
  sync('room-initial-sync', `${CLIENT}/(api/v1|r0|v3)/rooms/[^/]+/initialSync$`, true),
  // Device-list changes between two sync tokens: read from the sync role's views, any instance.
  sync('keys-changes', `${CLIENT}/${R0}/keys/changes$`, false),

  // --- main: discovery, registration, login, sessions ---------------------------------------
  { id: 'well-known', pattern: '^/\\.well-known/matrix/(client|server|support)$', role: 'main', resource: 'client', auth: 'none' },
  // Synapse resolves a token on /versions when one is sent (per-user feature flags).
  client('versions', `${CLIENT}/versions$`, 'optional'),
  client('capabilities', `${CLIENT}/${R0}/capabilities$`, 'required'),
  client('login', `${CLIENT}/${ALL}/login$`, 'none'),
  client('logout', `${CLIENT}/${ALL}/logout(/all)?$`, 'required'),
  client('refresh', `${CLIENT}/(v1|r0|v3)/refresh$`, 'none'),
  client('register', `${CLIENT}/${R0}/register$`, 'none'),
  client('register-available', `${CLIENT}/${R0}/register/available$`, 'none'),
  client('registration-token-validity', `${CLIENT}/v1/register/m\\.login\\.registration_token/validity$`, 'none'),
  { id: 'admin.register', pattern: '^/_synapse/admin/v1/register$', role: 'main', resource: 'client', auth: 'none' },

  // --- main: Synapse's admin API (server admins only) and this server's own admin pages -------
  { id: 'admin.main', pattern: `^/_synapse/admin/(v1/(?!register$|${ADMIN_MEDIA})|v[2-9]/)`, role: 'main', resource: 'client', auth: 'required' },
  { id: 'homeserver.admin', pattern: '^/_homeserver/admin/', role: 'main', resource: 'client', auth: 'required' },

  // --- main: account and devices --------------------------------------------------------------
  client('whoami', `${CLIENT}/${R0}/account/whoami$`, 'required'),
  // No email reset flow here: changing a password needs the session (Synapse allows either).
  client('account-password', `${CLIENT}/${R0}/account/password$`, 'required'),
  client('account-deactivate', `${CLIENT}/${R0}/account/deactivate$`, 'required'),
  client('account-3pid', `${CLIENT}/${R0}/account/3pid(/(add|delete|bind|unbind))?$`, 'required'),
  // Validation tokens for adding a 3PID, registering or resetting a password: no session yet.
  client('request-token', `${CLIENT}/${R0}/(account/3pid|register|account/password)/(email|msisdn)/requestToken$`, 'none'),
  client('devices', `${CLIENT}/${ALL}/devices(/.*)?$`, 'required'),
  client('delete-devices', `${CLIENT}/(r0|v3)/delete_devices$`, 'required'),
  // Profiles are public by default (Synapse's require_auth_for_profile_requests: false).
  client('profile-read', `${CLIENT}/${ALL}/profile/`, 'none', { methods: ['GET'] }),
  client('profile-write', `${CLIENT}/${ALL}/profile/`, 'required', { methods: ['PUT', 'POST', 'DELETE'] }),
  client('account-data', `${CLIENT}/${R0}/user/[^/]+/(rooms/[^/]+/)?account_data/`, 'required'),
  client('tags', `${CLIENT}/${R0}/user/[^/]+/rooms/[^/]+/tags(/.*)?$`, 'required'),
  client('filter', `${CLIENT}/${R0}/user/[^/]+/filter(/.*)?$`, 'required'),
  client('push-rules', `${CLIENT}/${ALL}/pushrules/`, 'required'),
  client('pushers', `${CLIENT}/${ALL}/pushers(/set)?$`, 'required'),
  client('user-directory', `${CLIENT}/${R0}/user_directory/search$`, 'required'),
  client('openid', `${CLIENT}/${R0}/user/[^/]+/openid/request_token$`, 'required'),
  // Synapse's whois on the client API: admins, or users asking about themselves.
  client('whois', `${CLIENT}/${R0}/admin/whois/[^/]+$`, 'required'),

  // --- main: end-to-end encryption and to-device ----------------------------------------------
  client('keys', `${CLIENT}/${R0}/keys/(upload(/.*)?|query|claim|device_signing/upload|signatures/upload)$`, 'required'),
  client('room-keys', `${CLIENT}/${R0}/room_keys/`, 'required'),
  client('send-to-device', `${CLIENT}/${R0}/sendToDevice/`, 'required'),

  // --- main: rooms (event creation goes through the room's persister actor) -------------------
  client('create-room', `${CLIENT}/${ALL}/createRoom$`, 'required'),
  client('join', `${CLIENT}/${ALL}/(join|knock)/`, 'required'),
  client('membership', `${ROOM}/(join|invite|leave|forget|kick|ban|unban)$`, 'required'),
  client('joined-rooms', `${CLIENT}/${ALL}/joined_rooms$`, 'required'),
  client('send', `${ROOM}/(send|redact)/`, 'required'),
  client('state', `${ROOM}/state(/.*)?$`, 'required'),
  client('room-read', `${ROOM}/(messages|members|joined_members|aliases)$`, 'required'),
  client('room-event', `${ROOM}/(context|event)/`, 'required'),
  // The legacy lookup of one event by ID alone.
  client('event-by-id', `${CLIENT}/${ALL}/events/[^/]+$`, 'required'),
  client('upgrade', `${ROOM}/upgrade$`, 'required'),
  client('report', `${ROOM}/report(/[^/]+)?$`, 'required'),
  client('user-report', `${CLIENT}/${R0}/users/[^/]+/report$`, 'required'),
  client('typing', `${ROOM}/typing/`, 'required'),
  client('receipts', `${ROOM}/(receipt/|read_markers$)`, 'required'),
  client('relations', `${CLIENT}/(v1|unstable)/rooms/[^/]+/relations/`, 'required'),
  client('threads', `${CLIENT}/v1/rooms/[^/]+/threads$`, 'required'),
  client('timestamp-to-event', `${CLIENT}/v1/rooms/[^/]+/timestamp_to_event$`, 'required'),
  client('hierarchy', `${CLIENT}/v1/rooms/[^/]+/hierarchy$`, 'required'),
  client('search', `${CLIENT}/${ALL}/search$`, 'required'),
  client('notifications', `${CLIENT}/${R0}/notifications$`, 'required'),
  client('presence', `${CLIENT}/${ALL}/presence/`, 'required'),
  // Answered from the application services' protocols; TURN credentials from the turn_* config.
  client('thirdparty', `${CLIENT}/${R0}/thirdparty/`, 'required'),
  // An appservice checks the homeserver can reach it (authenticated by its as_token).
  client('appservice-ping', `${CLIENT}/v1/appservice/[^/]+/ping$`, 'required'),
  client('voip', `${CLIENT}/${ALL}/voip/turnServer$`, 'required'),

  // --- main: room directory -------------------------------------------------------------------
  client('alias-read', `${CLIENT}/${ALL}/directory/room/`, 'none', { methods: ['GET'] }),
  client('alias-write', `${CLIENT}/${ALL}/directory/room/`, 'required', { methods: ['PUT', 'DELETE'] }),
  client('room-visibility-read', `${CLIENT}/${ALL}/directory/list/room/`, 'none', { methods: ['GET'] }),
  client('room-visibility-write', `${CLIENT}/${ALL}/directory/list/room/`, 'required', { methods: ['PUT'] }),
  // An appservice publishes a bridged room in its network's part of the directory.
  client('appservice-room-list', `${CLIENT}/${R0}/directory/list/appservice/`, 'required', { methods: ['PUT'] }),
  // GET is anonymous as the spec allows (Synapse's allow_public_rooms_without_auth); POST is not.
  client('public-rooms-read', `${CLIENT}/${ALL}/publicRooms$`, 'none', { methods: ['GET'] }),
  client('public-rooms-search', `${CLIENT}/${ALL}/publicRooms$`, 'required', { methods: ['POST'] }),

  // --- federation-reader: inbound federation and the key API ---------------------------------
  { id: 'federation.send', pattern: '^/_matrix/federation/v1/send/', role: 'federation-reader', resource: 'federation', auth: 'none', affinity: 'origin' },
  { id: 'federation.other', pattern: '^/_matrix/federation/(?!v1/send/|v1/media/)', role: 'federation-reader', resource: 'federation', auth: 'none' },
  { id: 'keys.server', pattern: '^/_matrix/key/v2/', role: 'federation-reader', resource: 'keys', auth: 'none' },

  // --- media: the repository, its authenticated client API and its admin API -----------------
  // Legacy unauthenticated downloads (deprecated by the spec, still served by Synapse).
  { id: 'media.download-legacy', pattern: '^/_matrix/media/[^/]+/(download|thumbnail)/', role: 'media', resource: 'media', auth: 'none' },
  { id: 'media.legacy', pattern: '^/_matrix/media/(?![^/]+/(download|thumbnail)/)', role: 'media', resource: 'media', auth: 'required' },
  { id: 'media.client', pattern: `${CLIENT}/v1/media/`, role: 'media', resource: 'client', auth: 'required' },
  { id: 'media.federation', pattern: '^/_matrix/federation/v1/media/', role: 'media', resource: 'federation', auth: 'none' },
  {
    id: 'admin.media',
    pattern: `^/_synapse/admin/v1/${ADMIN_MEDIA}`,
    role: 'media',
    resource: 'media',
    auth: 'required',
  },
];
