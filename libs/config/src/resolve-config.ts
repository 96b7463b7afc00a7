// Applies defaults and cross-key rules to a validated config file, producing what processes
// use. Everything the server writes defaults to the folder holding the (first) config file.
import { isAbsolute, join, resolve } from 'node:path';
import { loadAppserviceRegistrations, type AppserviceRegistration } from './appservice-config.ts';
import { ConfigError } from './config-error.ts';
import { durationMs } from './duration.ts';
import { resolveFederationConfig, type FederationConfig } from './federation-config.ts';
import { resolveMediaConfig, type MediaConfig } from './media-config.ts';
import { ROLE_NAMES, type RoleName } from './role-names.ts';
import type { HomeserverConfigFile, ListenerConfig, RateLimitConfig } from './schema.ts';

export type DatabaseConfig =
  | { readonly kind: 'pglite'; readonly path: string }
  | {
      readonly kind: 'postgres';
      readonly host?: string;
      readonly port?: number;
      readonly user?: string;
      readonly password?: string;
      readonly database?: string;
      readonly maxConnections?: number;
    };

export type TransportConfig =
  | { readonly kind: 'in-process' }
  | {
      readonly kind: 'nats';
      readonly servers: readonly string[];
      readonly user?: string;
      readonly password?: string;
      readonly token?: string;
      /** A user nkey seed (`SU...`): the server knows the matching public key. */
      readonly nkeySeed?: string;
      /** Absolute path of a creds file (user JWT + nkey seed) for an operator-mode server. */
      readonly credsFile?: string;
      readonly prefix?: string;
    }
  | { readonly kind: 'redis'; readonly url: string; readonly user?: string; readonly password?: string };

export interface RateLimits {
  readonly message: RateLimitConfig;
  readonly registration: RateLimitConfig;
  readonly loginAddress: RateLimitConfig;
  readonly loginAccount: RateLimitConfig;
  readonly loginFailedAttempts: RateLimitConfig;
}

/** Synapse's `user_directory` section: who POST /user_directory/search may find. */
export interface UserDirectoryConfig {
  /** false: every search answers no results. Default: true. */
  readonly enabled: boolean;
  /** true: every local user (and every known remote user) is searchable; false: only users who share a room with the searcher or sit in a public room. Default: false. */
  readonly searchAllUsers: boolean;
  /** Ranks users of this server above remote ones. Default: false. */
  readonly preferLocalUsers: boolean;
  /** Leaves remote users out of results. Default: false. */
  readonly excludeRemoteUsers: boolean;
}

/** Synapse's `server_notices` section (POST /_synapse/admin/v1/send_server_notice). */
export interface ServerNoticesConfig {
  /** The local user that sends notices (created on first use). */
  readonly systemMxidLocalpart: string;
  /** Its display name and avatar. Default: none. */
  readonly systemMxidDisplayName: string | undefined;
  readonly systemMxidAvatarUrl: string | undefined;
  /** Name, avatar and topic of each user's notice room. Default: "Server Notices", none, none. */
  readonly roomName: string;
  readonly roomAvatarUrl: string | undefined;
  readonly roomTopic: string | undefined;
  /** Join the user to the notice room instead of inviting them. Default: false. */
  readonly autoJoin: boolean;
}

/** Synapse's `turn_*` keys: what GET /voip/turnServer hands out. */
export interface VoipConfig {
  /** TURN server URIs (turn: / turns:). Default: none (the endpoint answers {}). */
  readonly turnUris: readonly string[];
  /** Shared secret for time-limited credentials (TURN REST API). Default: none. */
  readonly turnSharedSecret: string | undefined;
  /** Static credentials, used when no shared secret is set. Default: none. */
  readonly turnUsername: string | undefined;
  readonly turnPassword: string | undefined;
  /** How long issued credentials stay valid, in milliseconds. Default: one hour. */
  readonly turnUserLifetimeMs: number;
  /** Whether guest accounts may get TURN credentials. Default: true. */
  readonly turnAllowGuests: boolean;
}

export interface HomeserverConfig {
  readonly file: HomeserverConfigFile;
  readonly serverName: string;
  readonly configDir: string;
  readonly workerApp: RoleName;
  readonly workerName: string;
  readonly listeners: readonly ListenerConfig[];
  readonly database: DatabaseConfig;
  readonly transport: TransportConfig;
  /**
   * Synapse's worker_replication_secret: the key every replication frame is authenticated with.
   * Required whenever the transport leaves the process (nats, redis); unused in-process.
   */
  readonly replicationSecret: string | undefined;
  /**
   * How long a call to an actor on another process may go without a sign of life from that
   * process before it fails as unreachable (answered 503). 0 = wait for the call's own timeout.
   */
  readonly actorUnreachableAfterMs: number;
  /**
   * node_heap: V8's young generation semi-space (MiB; default by process shape, see
   * defaultSemiSpaceMiB; V8's own lets it grow to 16 or more), old generation limit (MiB;
   * default V8's), and V8's --optimize-for-size (default false: with it the heap grows by
   * smaller steps and V8's memory reducer gives an idle process's heap back, for ~50% more CPU
   * per sent message), and
   * after how long a quiet process collects its heap fully once (ms; default 10 s, 0 = never),
   * and how many malloc arenas glibc may make (MALLOC_ARENA_MAX; default 1, 0 = glibc's own).
   */
  readonly nodeHeap: {
    readonly maxSemiSpaceMiB: number;
    readonly maxOldSpaceMiB: number | undefined;
    readonly optimizeForSize: boolean;
    readonly releaseWhenIdleAfterMs: number;
    readonly mallocArenaMax: number;
  };
  readonly mediaStorePath: string;
  readonly signingKeyPath: string;
  /** Instance names hosting each sharded role; placement hashes keys over these. */
  readonly instances: Readonly<Record<'event-persister' | 'federation-sender' | 'pusher', readonly string[]>>;
  /** Writer instances per stream name (Synapse's stream_writers); default: the main process. */
  readonly streamWriters: Readonly<Record<string, readonly string[]>>;
  readonly runBackgroundTasksOn: string;
  /**
   * Synapse's notify_appservices_from_worker: the instances that may run the appservice notifier
   * (one or a list; each appservice is sent to by exactly one live instance of them). Default: main.
   */
  readonly notifyAppservicesFrom: readonly string[];
  /** The registrations of app_service_config_files, checked at load. Default: none. */
  readonly appservices: readonly AppserviceRegistration[];
  /**
   * Whether main hosts the media role (Synapse's enable_media_repo; default true). False when
   * media workers serve every media endpoint: main then loads none of the media code. Media
   * workers host it whatever this says.
   */
  readonly enableMediaRepo: boolean;
  /** Instances that contend for the media background-jobs lease; undefined: every process hosting the media role. */
  readonly mediaBackgroundJobsOn: readonly string[] | undefined;
  readonly media: MediaConfig;
  readonly federation: FederationConfig;
  readonly enableRegistration: boolean;
  /** Synapse's registration_requires_token: /register asks for m.login.registration_token. Default: false. */
  readonly registrationRequiresToken: boolean;
  /** Synapse's allow_guest_access: /register?kind=guest issues guest accounts. Default: false. */
  readonly allowGuestAccess: boolean;
  readonly registrationSharedSecret: string | undefined;
  readonly rateLimits: RateLimits;
  readonly userDirectory: UserDirectoryConfig;
  readonly voip: VoipConfig;
  /** Undefined when the section is absent: send_server_notice answers 400. */
  readonly serverNotices: ServerNoticesConfig | undefined;
  /** Synapse's default_room_version: for rooms created without room_version. Default: undefined (the server's own default). */
  readonly defaultRoomVersion: string | undefined;
}

export const DEFAULT_CLIENT_PORT = 8008;
const MAIN_INSTANCE = 'main';

const defaultListeners: readonly ListenerConfig[] = [
  { port: DEFAULT_CLIENT_PORT, type: 'http', bind_addresses: ['127.0.0.1'], x_forwarded: true, resources: [{ names: ['client', 'federation'] }] },
];

function asList(value: readonly string[] | string | undefined, fallback: readonly string[]): readonly string[] {
  if (value === undefined) return fallback;
  return typeof value === 'string' ? [value] : value;
}

function workerAppOf(value: string | undefined): RoleName {
  if (value === undefined) return 'main';
  // Accept Synapse's spelling too: synapse.app.federation_sender -> federation-sender.
  const name = value.replace(/^synapse\.app\./, '').replace(/_/g, '-').replace(/^homeserver$/, 'main');
  if (!(ROLE_NAMES as readonly string[]).includes(name)) {
    throw new ConfigError(`key "worker_app" has value ${JSON.stringify(value)}: expected one of ${ROLE_NAMES.join(', ')}`);
  }
  return name as RoleName;
}

function databaseOf(file: HomeserverConfigFile, configDir: string): DatabaseConfig {
  const db = file.database;
  if (db === undefined) return { kind: 'pglite', path: resolve(configDir, 'homeserver.db') };
  if (db.name === 'pglite') return { kind: 'pglite', path: resolve(configDir, db.args?.path ?? 'homeserver.db') };
  const args = db.args;
  return {
    kind: 'postgres',
    host: args.host,
    port: args.port,
    user: args.user,
    password: args.password,
    database: args.database ?? args.dbname,
    maxConnections: args.cp_max,
  };
}

function transportOf(file: HomeserverConfigFile, configDir: string): TransportConfig {
  const kind = file.transport ?? (file.nats ? 'nats' : file.redis?.enabled ? 'redis' : 'in-process');
  if (kind === 'nats') {
    const nats = file.nats ?? {};
    const methods = [nats.user !== undefined && 'user', nats.token !== undefined && 'token', nats.nkey_seed !== undefined && 'nkey_seed', nats.creds_file !== undefined && 'creds_file'].filter(Boolean);
    if (methods.length > 1) {
      throw new ConfigError(`keys "nats.${methods.join('" and "nats.')}" are both set: choose one way for this process to authenticate to NATS`);
    }
    if (nats.password !== undefined && nats.user === undefined) throw new ConfigError('key "nats.password" is set without "nats.user"');
    return { kind, servers: nats.servers ?? ['nats://127.0.0.1:4222'], user: nats.user, password: nats.password, token: nats.token, nkeySeed: nats.nkey_seed, credsFile: nats.creds_file === undefined ? undefined : resolve(configDir, nats.creds_file), prefix: nats.subject_prefix };
  }
  if (kind === 'redis') {
    const redis = file.redis ?? {};
    const url = `redis://${redis.host ?? '127.0.0.1'}:${redis.port ?? 6379}/${redis.dbid ?? 0}`;
    if (redis.user !== undefined && redis.password === undefined) throw new ConfigError('key "redis.user" is set without "redis.password": a Redis ACL user authenticates with both');
    return { kind, url, user: redis.user, password: redis.password };
  }
  return { kind: 'in-process' };
}

const rate = (value: RateLimitConfig | undefined, fallback: RateLimitConfig): RateLimitConfig => value ?? fallback;

/**
 * node_heap.max_semi_space_size when unset. The one process of a monolith on PostgreSQL does
 * every role's work: with 2 MiB its long-polls and in-flight sends outlive a scavenge and are
 * promoted, so the old generation grows under load and is marked again and again (client-api-bench,
 * same machine: GC 5.5 -> 2.3 s of CPU over 4,000 paced messages, server CPU per message 8.4 -> 7.6 ms;
 * 20,000 sends from 50 senders: peak RSS 305-354 -> 195-201 MiB; RSS 30 s after the load the same).
 * Workers keep 2 MiB: their share of the load is smaller and the young generation they would grow
 * is memory each keeps while idle (keepup-bench: a persister 110 -> 132 MiB after the load with 16).
 * PGlite's monolith keeps 2 MiB too: its WebAssembly database dominates its CPU and memory, and
 * 16 MiB showed no gain there within the run's noise.
 */
function defaultSemiSpaceMiB(transport: TransportConfig, database: DatabaseConfig): number {
  return transport.kind === 'in-process' && database.kind === 'postgres' ? 16 : 2;
}

/**
 * Synapse key for a duty this server does not have: refused with the reason rather than read and
 * ignored (an admin setting them expects something to happen).
 */
function refuseUnsupportedDuties(file: HomeserverConfigFile): void {
  if (file.update_user_directory_from_worker !== undefined) {
    throw new ConfigError(
      'key "update_user_directory_from_worker" is set: this homeserver has no user directory updater to place (the directory is read live from memberships and profiles by whichever process serves /user_directory/search); remove the key',
    );
  }
}

export function resolveConfig(file: HomeserverConfigFile, options: { configDir: string }): HomeserverConfig {
  const configDir = options.configDir;
  const workerApp = workerAppOf(file.worker_app);
  const isWorker = workerApp !== 'main';
  if (isWorker && file.worker_name === undefined) {
    throw new ConfigError(`key "worker_name" is missing: a ${workerApp} worker needs a unique worker_name`);
  }
  const transport = transportOf(file, configDir);
  if (isWorker && transport.kind === 'in-process') {
    throw new ConfigError(`key "transport" has value "in-process": a ${workerApp} worker runs in its own process and needs "nats" or "redis" (set the nats or redis key)`);
  }
  if (transport.kind !== 'in-process' && file.worker_replication_secret === undefined) {
    throw new ConfigError(`key "worker_replication_secret" is missing: with the ${transport.kind} transport every process must share it, so replication messages can be authenticated`);
  }
  refuseUnsupportedDuties(file);
  const database = databaseOf(file, configDir);
  if (isWorker && database.kind === 'pglite') {
    throw new ConfigError('key "database" is missing or "pglite": workers share one PostgreSQL database; set database.name: psycopg2 with its args');
  }
  const inDir = (path: string | undefined, fallback: string) => (path === undefined ? join(configDir, fallback) : isAbsolute(path) ? path : resolve(configDir, path));
  const federation = resolveFederationConfig(file, configDir);
  const listeners = (isWorker ? file.worker_listeners : file.listeners) ?? defaultListeners;
  if (listeners.some((l) => l.tls === true) && federation.tlsCertificatePath === undefined) {
    throw new ConfigError('key "tls_certificate_path" is missing: a listener has tls: true, which needs tls_certificate_path and tls_private_key_path');
  }
  if (transport.kind === 'in-process' && federation.outboundRestrictedTo !== undefined && !federation.outboundRestrictedTo.includes(MAIN_INSTANCE)) {
    throw new ConfigError(
      `key "outbound_federation_restricted_to" names ${federation.outboundRestrictedTo.join(', ')}, but this server runs as one process (${MAIN_INSTANCE}) with no replication transport: list ${MAIN_INSTANCE} or run those workers`,
    );
  }
  const mediaBackgroundJobsOn = file.media_instance_running_background_jobs === undefined ? undefined : asList(file.media_instance_running_background_jobs, []);
  if (file.enable_media_repo === false && mediaBackgroundJobsOn?.length === 1 && mediaBackgroundJobsOn[0] === MAIN_INSTANCE) {
    throw new ConfigError(
      `key "media_instance_running_background_jobs" names only ${MAIN_INSTANCE}, which "enable_media_repo: false" keeps from hosting the media role: the media background jobs would never run; name a media worker`,
    );
  }
  const streamWriters: Record<string, readonly string[]> = {};
  for (const [stream, writers] of Object.entries(file.stream_writers ?? {})) streamWriters[stream] = asList(writers, [MAIN_INSTANCE]);
  return {
    file,
    serverName: file.server_name,
    configDir,
    workerApp,
    workerName: file.worker_name ?? MAIN_INSTANCE,
    listeners,
    database,
    transport,
    replicationSecret: transport.kind === 'in-process' ? undefined : file.worker_replication_secret,
    actorUnreachableAfterMs: durationMs(file.actor_unreachable_timeout, 2000),
    nodeHeap: {
      maxSemiSpaceMiB: file.node_heap?.max_semi_space_size ?? defaultSemiSpaceMiB(transport, database),
      maxOldSpaceMiB: file.node_heap?.max_old_space_size,
      optimizeForSize: file.node_heap?.optimize_for_size ?? false,
      releaseWhenIdleAfterMs: durationMs(file.node_heap?.release_when_idle_after, 10_000),
      mallocArenaMax: file.node_heap?.malloc_arena_max ?? 1,
    },
    mediaStorePath: inDir(file.media_store_path, 'media_store'),
    signingKeyPath: inDir(file.signing_key_path, `${file.server_name.replace(/[^A-Za-z0-9.-]/g, '_')}.signing.key`),
    instances: {
      'event-persister': asList(file.event_persister_instances ?? file.stream_writers?.events, [MAIN_INSTANCE]),
      'federation-sender': asList(file.federation_sender_instances, [MAIN_INSTANCE]),
      pusher: asList(file.pusher_instances, [MAIN_INSTANCE]),
    },
    streamWriters,
    runBackgroundTasksOn: file.run_background_tasks_on ?? MAIN_INSTANCE,
    notifyAppservicesFrom: asList(file.notify_appservices_from_worker, [MAIN_INSTANCE]),
    appservices: loadAppserviceRegistrations(file.app_service_config_files, { configDir, serverName: file.server_name }),
    enableMediaRepo: file.enable_media_repo ?? true,
    mediaBackgroundJobsOn,
    media: resolveMediaConfig(file),
    federation,
    enableRegistration: file.enable_registration === true && file.enable_registration_without_verification === true,
    registrationRequiresToken: file.registration_requires_token === true,
    allowGuestAccess: file.allow_guest_access === true,
    registrationSharedSecret: file.registration_shared_secret,
    userDirectory: {
      enabled: file.user_directory?.enabled ?? true,
      searchAllUsers: file.user_directory?.search_all_users ?? false,
      preferLocalUsers: file.user_directory?.prefer_local_users ?? false,
      excludeRemoteUsers: file.user_directory?.exclude_remote_users ?? false,
    },
    serverNotices: file.server_notices && {
      systemMxidLocalpart: file.server_notices.system_mxid_localpart,
      systemMxidDisplayName: file.server_notices.system_mxid_display_name,
      systemMxidAvatarUrl: file.server_notices.system_mxid_avatar_url,
      roomName: file.server_notices.room_name ?? 'Server Notices',
      roomAvatarUrl: file.server_notices.room_avatar_url,
      roomTopic: file.server_notices.room_topic,
      autoJoin: file.server_notices.auto_join ?? false,
    },
    defaultRoomVersion: file.default_room_version,
    voip: {
      turnUris: file.turn_uris ?? [],
      turnSharedSecret: file.turn_shared_secret,
      turnUsername: file.turn_username,
      turnPassword: file.turn_password,
      turnUserLifetimeMs: durationMs(file.turn_user_lifetime, 3_600_000),
      turnAllowGuests: file.turn_allow_guests ?? true,
    },
    rateLimits: {
      // Synapse's defaults.
      message: rate(file.rc_message, { per_second: 0.2, burst_count: 10 }),
      registration: rate(file.rc_registration, { per_second: 0.17, burst_count: 3 }),
      loginAddress: rate(file.rc_login?.address, { per_second: 0.003, burst_count: 5 }),
      loginAccount: rate(file.rc_login?.account, { per_second: 0.003, burst_count: 5 }),
      loginFailedAttempts: rate(file.rc_login?.failed_attempts, { per_second: 0.17, burst_count: 3 }),
    },
  };
}
