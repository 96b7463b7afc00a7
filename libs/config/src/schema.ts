// The homeserver.yaml schema, in Synapse's vocabulary so its admins feel at home. Unknown
// top-level keys are allowed (a Synapse config carries many we do not use) and reported as
// warnings; inside the keys we know, everything is checked.
import Type, { type Static } from 'typebox';
import { FEDERATION_CONFIG_KEYS } from './federation-config-keys.ts';
import { MEDIA_CONFIG_KEYS } from './media-config-keys.ts';

export { ROLE_NAMES, type RoleName } from './role-names.ts';

const Port = Type.Integer({ minimum: 0, maximum: 65535 });
const InstanceNames = Type.Array(Type.String({ minLength: 1 }));
const RateLimit = Type.Object(
  { per_second: Type.Number({ minimum: 0 }), burst_count: Type.Number({ minimum: 0 }) },
  { additionalProperties: false },
);

const ListenerResource = Type.Object(
  {
    names: Type.Array(
      Type.Enum(['client', 'federation', 'keys', 'media', 'health', 'metrics', 'replication', 'static', 'openid', 'consent']),
    ),
    compress: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const Listener = Type.Object(
  {
    port: Port,
    bind_addresses: Type.Optional(Type.Array(Type.String())),
    type: Type.Union([Type.Literal('http'), Type.Literal('metrics')]),
    tls: Type.Optional(Type.Boolean()),
    x_forwarded: Type.Optional(Type.Boolean()),
    resources: Type.Optional(Type.Array(ListenerResource)),
  },
  { additionalProperties: false },
);

const Database = Type.Union([
  Type.Object(
    {
      name: Type.Union([Type.Literal('psycopg2'), Type.Literal('postgres')]),
      args: Type.Object(
        {
          user: Type.Optional(Type.String()),
          password: Type.Optional(Type.String()),
          database: Type.Optional(Type.String()),
          dbname: Type.Optional(Type.String()),
          host: Type.Optional(Type.String()),
          port: Type.Optional(Port),
          cp_min: Type.Optional(Type.Integer({ minimum: 0 })),
          cp_max: Type.Optional(Type.Integer({ minimum: 1 })),
        },
        { additionalProperties: false },
      ),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      name: Type.Literal('pglite'),
      args: Type.Optional(Type.Object({ path: Type.Optional(Type.String({ minLength: 1 })) }, { additionalProperties: false })),
    },
    { additionalProperties: false },
  ),
]);

const Redis = Type.Object(
  {
    enabled: Type.Optional(Type.Boolean()),
    host: Type.Optional(Type.String()),
    port: Type.Optional(Port),
    user: Type.Optional(Type.String({ minLength: 1 })),
    password: Type.Optional(Type.String()),
    dbid: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  { additionalProperties: false },
);

const Nats = Type.Object(
  {
    servers: Type.Optional(Type.Array(Type.String({ minLength: 1 }))),
    user: Type.Optional(Type.String()),
    password: Type.Optional(Type.String()),
    token: Type.Optional(Type.String()),
    nkey_seed: Type.Optional(Type.String({ pattern: '^SU[A-Z2-7]+$' })),
    creds_file: Type.Optional(Type.String({ minLength: 1 })),
    subject_prefix: Type.Optional(Type.String({ minLength: 1 })),
  },
  { additionalProperties: false },
);

const UserDirectory = Type.Object(
  {
    enabled: Type.Optional(Type.Boolean()),
    search_all_users: Type.Optional(Type.Boolean()),
    prefer_local_users: Type.Optional(Type.Boolean()),
    exclude_remote_users: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

/** Synapse's `server_notices` section: who sends notices from the admin API, into which room. */
const ServerNotices = Type.Object(
  {
    system_mxid_localpart: Type.String({ pattern: '^[a-z0-9._=/+-]+$' }),
    system_mxid_display_name: Type.Optional(Type.String()),
    system_mxid_avatar_url: Type.Optional(Type.String()),
    room_name: Type.Optional(Type.String()),
    room_avatar_url: Type.Optional(Type.String()),
    room_topic: Type.Optional(Type.String()),
    auto_join: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

/** Synapse's durations: milliseconds as a number, or a string with a unit (`90s`, `1h`, `7d`). */
const Duration = Type.Union([Type.Integer({ minimum: 0 }), Type.String({ pattern: '^[0-9]+(ms|s|m|h|d|w|y)?$' })]);

/** Synapse's `federation:` block (the federation sender's per-destination retry schedule). */
const FederationBlock = Type.Object(
  {
    destination_min_retry_interval: Type.Optional(Duration),
    destination_retry_multiplier: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
    destination_max_retry_interval: Type.Optional(Duration),
  },
  { additionalProperties: false },
);

const InstanceLocation = Type.Object(
  { host: Type.String({ minLength: 1 }), port: Port, tls: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);

export const HomeserverConfigSchema = Type.Object({
  server_name: Type.String({ minLength: 1, pattern: '^[A-Za-z0-9.\\-\\[\\]:]+$' }),
  public_baseurl: Type.Optional(Type.String({ pattern: '^https?://' })),
  listeners: Type.Optional(Type.Array(Listener)),
  database: Type.Optional(Database),
  media_store_path: Type.Optional(Type.String({ minLength: 1 })),
  signing_key_path: Type.Optional(Type.String({ minLength: 1 })),
  log_level: Type.Optional(Type.Enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'])),

  transport: Type.Optional(Type.Union([Type.Literal('in-process'), Type.Literal('nats'), Type.Literal('redis')])),
  nats: Type.Optional(Nats),
  redis: Type.Optional(Redis),
  instance_map: Type.Optional(Type.Record(Type.String(), InstanceLocation)),
  stream_writers: Type.Optional(Type.Record(Type.String(), Type.Union([InstanceNames, Type.String({ minLength: 1 })]))),
  federation_sender_instances: Type.Optional(InstanceNames),
  federation: Type.Optional(FederationBlock),
  allow_public_rooms_over_federation: Type.Optional(Type.Boolean()),
  allow_device_name_lookup_over_federation: Type.Optional(Type.Boolean()),
  pusher_instances: Type.Optional(InstanceNames),
  event_persister_instances: Type.Optional(InstanceNames),
  run_background_tasks_on: Type.Optional(Type.String({ minLength: 1 })),
  media_instance_running_background_jobs: Type.Optional(Type.Union([Type.String({ minLength: 1 }), InstanceNames])),
  enable_media_repo: Type.Optional(Type.Boolean()),
  // Known so that it is refused with a reason (resolve-config.ts), not ignored with a warning.
  update_user_directory_from_worker: Type.Optional(Type.Unknown()),
  notify_appservices_from_worker: Type.Optional(Type.Union([Type.String({ minLength: 1 }), InstanceNames])),
  // Registration files are read and checked by appservice-config.ts, which names file and key.
  app_service_config_files: Type.Optional(Type.Array(Type.String({ minLength: 1 }))),

  worker_app: Type.Optional(Type.String({ minLength: 1 })),
  worker_name: Type.Optional(Type.String({ minLength: 1, pattern: '^[A-Za-z0-9_.\\-]+$' })),
  worker_listeners: Type.Optional(Type.Array(Listener)),
  worker_replication_secret: Type.Optional(Type.String({ minLength: 1 })),
  actor_unreachable_timeout: Type.Optional(Duration),
  // V8 heap sizes in MiB and heap policy, applied when the app starts (libs/runtime launch.ts).
  node_heap: Type.Optional(Type.Object({
    max_semi_space_size: Type.Optional(Type.Integer({ minimum: 1, maximum: 1024 })),
    max_old_space_size: Type.Optional(Type.Integer({ minimum: 16 })),
    optimize_for_size: Type.Optional(Type.Boolean()),
    release_when_idle_after: Type.Optional(Duration),
    malloc_arena_max: Type.Optional(Type.Integer({ minimum: 0, maximum: 1024 })),
  }, { additionalProperties: false })),

  enable_registration: Type.Optional(Type.Boolean()),
  enable_registration_without_verification: Type.Optional(Type.Boolean()),
  registration_requires_token: Type.Optional(Type.Boolean()),
  registration_shared_secret: Type.Optional(Type.String({ minLength: 1 })),
  allow_guest_access: Type.Optional(Type.Boolean()),
  user_directory: Type.Optional(UserDirectory),
  server_notices: Type.Optional(ServerNotices),
  default_room_version: Type.Optional(Type.String({ minLength: 1 })),
  turn_uris: Type.Optional(Type.Array(Type.String({ pattern: '^turns?:' }))),
  turn_shared_secret: Type.Optional(Type.String({ minLength: 1 })),
  turn_username: Type.Optional(Type.String({ minLength: 1 })),
  turn_password: Type.Optional(Type.String({ minLength: 1 })),
  turn_user_lifetime: Type.Optional(Duration),
  turn_allow_guests: Type.Optional(Type.Boolean()),
  rc_message: Type.Optional(RateLimit),
  rc_registration: Type.Optional(RateLimit),
  rc_login: Type.Optional(
    Type.Object(
      { address: Type.Optional(RateLimit), account: Type.Optional(RateLimit), failed_attempts: Type.Optional(RateLimit) },
      { additionalProperties: false },
    ),
  ),
  rc_joins: Type.Optional(Type.Object({ local: Type.Optional(RateLimit), remote: Type.Optional(RateLimit) }, { additionalProperties: false })),
  rc_invites: Type.Optional(Type.Object({ per_room: Type.Optional(RateLimit), per_user: Type.Optional(RateLimit) }, { additionalProperties: false })),
  ...MEDIA_CONFIG_KEYS,
  ...FEDERATION_CONFIG_KEYS,
});

export type HomeserverConfigFile = Static<typeof HomeserverConfigSchema>;
export type ListenerConfig = Static<typeof Listener>;
export type RateLimitConfig = Static<typeof RateLimit>;
export type DurationConfig = Static<typeof Duration>;
