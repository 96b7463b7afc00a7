// Process bootstrap shared by every app: config -> storage -> transport -> actors -> roles ->
// listeners, and a graceful shutdown on SIGTERM/SIGINT that drains before exiting 0. Each
// listener of a process whose roles serve routes authenticates from the route table before
// validating bodies, and the routes each role registers are checked against that table; a
// process without routes listens with the health server (no Fastify loaded).
import { readFile } from 'node:fs/promises';
import { ActorSystem, ClusterMembership, Leases, LivePlacement, monolithPlacement, releaseSubject, type ActorAddress } from '@homeserver/actors';
import { loadConfig, parseCommandLine, type HomeserverConfig, type RoleName } from '@homeserver/config';
import { createHealthServer, createProcessMetrics, createServer, listenOnAddresses, registerMetricsSources, routeTableProblems, type RegisteredRoute, type TokenResolver } from '@homeserver/http';
import { createFederation, FEDERATION_OUTBOUND_KIND } from '@homeserver/federation';
import type { ListenerResource, RoleModule, RunningRole, ServerContext } from '@homeserver/services';
import { AccessTokenAuth, AccessTokenCache, Appservices, startBackgroundTasks, streamWriterProblems, systemClock } from '@homeserver/services';
import { openDatabase, type Database } from '@homeserver/storage';
import { openStreamsOf } from '@homeserver/streams';
import type { Transport } from '@homeserver/transport';
import type { Server } from 'node:http';
import { pino, type Logger } from 'pino';
import { configPathsFor } from './config-file.ts';
import { hostedRoles } from './hosted-roles.ts';
import { memberReport, runtimeVersion } from './member-report.ts';
import { openReplicationTransport } from './replication-transport.ts';
import { loadOrCreateSigningKey } from './signing-key-file.ts';
import { holdWorkerName } from './worker-name-lock.ts';

export interface StartProcessOptions {
  /** Command-line arguments after the script name. */
  readonly argv: readonly string[];
  /** Role implementations this app can host, by role. */
  readonly modules: readonly RoleModule[];
  /** Default: process.cwd(). */
  readonly cwd?: string;
  /** Default: pino to stdout at the config's log_level. */
  readonly logger?: Logger;
  /** LoadConfigOptions.validatedDigest: the config files as this process's start validated them. Default: validate. */
  readonly validatedConfigDigest?: string;
  /** LoadConfigOptions.validatedContents: the contents that digest covers. Default: read the files. */
  readonly validatedConfigContents?: Record<string, unknown>;
}

export interface RunningProcess {
  readonly config: HomeserverConfig;
  readonly context: ServerContext;
  /** The roles this process hosts (hostedRoles). */
  readonly roles: readonly RoleName[];
  /**
   * Bound addresses of the listeners, in config order, each listener's bind addresses in their
   * order (port 0 resolves to the real port).
   */
  readonly addresses: readonly { host: string; port: number }[];
  /** Every method + URL the roles registered (on any listener), with the registering role. */
  readonly routes: readonly RegisteredRoute[];
  stop(): Promise<void>;
}


/** The PEM key and certificate of `tls: true` listeners, read once (the config checked both are set when one is). */
async function listenerTls(config: HomeserverConfig): Promise<{ key: Buffer; cert: Buffer } | undefined> {
  const { tlsCertificatePath, tlsPrivateKeyPath } = config.federation;
  if (tlsCertificatePath === undefined || tlsPrivateKeyPath === undefined || !config.listeners.some((l) => l.tls === true)) return undefined;
  const read = async (path: string, key: string) => {
    try {
      return await readFile(path);
    } catch (error) {
      throw new Error(`cannot read ${key} ${path}: ${(error as Error).message}`, { cause: error });
    }
  };
  return { cert: await read(tlsCertificatePath, 'tls_certificate_path'), key: await read(tlsPrivateKeyPath, 'tls_private_key_path') };
}

export async function startProcess(app: RoleName, options: StartProcessOptions): Promise<RunningProcess> {
  const cwd = options.cwd ?? process.cwd();
  const commandLine = parseCommandLine(options.argv);
  const { paths, created } = await configPathsFor(app, commandLine.configPaths, cwd);
  const bootLogger = options.logger ?? pino({ base: { worker_app: app } });
  if (created) bootLogger.info({ path: created }, 'wrote a default config');
  const config = await loadConfig(paths, {
    warn: (message) => bootLogger.warn(message),
    ...(options.validatedConfigDigest === undefined ? {} : { validatedDigest: options.validatedConfigDigest }),
    ...(options.validatedConfigContents === undefined ? {} : { validatedContents: options.validatedConfigContents }),
  });
  if (config.workerApp !== app) {
    throw new Error(`config says worker_app ${config.workerApp} but this is the ${app} app; start apps/${config.workerApp} instead`);
  }
  // A process named as the writer of a stream it cannot host would leave that stream unwritten.
  const writerProblems = streamWriterProblems(config, hostedRoles(config));
  if (writerProblems.length > 0) throw new Error(`cannot start with this stream_writers: ${writerProblems.join('; ')}`);
  const logger = (options.logger ?? pino({ level: config.file.log_level ?? 'info' })).child({ worker_name: config.workerName, worker_app: app });
  const metrics = createProcessMetrics({ workerName: config.workerName, workerApp: app });

  const cleanups: Array<() => Promise<void>> = [];
  const cleanup = async () => {
    for (const step of cleanups.splice(0).reverse()) {
      try {
        await step();
      } catch (error) {
        logger.error({ err: error }, 'shutdown step failed');
      }
    }
  };
  try {
    // Only a process that answers /sync runs the statements planned generically (a share of its pool).
    const genericPlans = hostedRoles(config).includes('sync');
    const db: Database = await openDatabase(config.database.kind === 'pglite' ? config.database : { ...config.database, applicationName: config.workerName, genericPlans });
    cleanups.push(() => db.close());
    const nameLock = await holdWorkerName(db, config.workerName, {
      logger,
      onTaken: (error) => {
        // Serving on would make two processes under one name: stop as a failed start would.
        logger.fatal({ err: error }, error.message);
        process.exitCode = 1;
        void cleanup();
      },
    });
    cleanups.push(() => nameLock.release());
    const transport: Transport = await openReplicationTransport(config, { logger, metrics });
    cleanups.push(() => transport.close());
    const roles = hostedRoles(config);
    // The actor system is built after membership (its placement follows the membership view).
    const hosting: { actors?: ActorSystem } = {};
    // Announces this process on the bus and keeps its `instances` row fresh (the live view that
    // placement follows and the admin topology page shows).
    const cluster = await ClusterMembership.start(transport, {
      workerName: config.workerName,
      workerApp: app,
      version: runtimeVersion(),
      db,
      logger,
      report: () => memberReport({ roles, actors: hosting.actors, streams: openStreamsOf(transport) }),
    });
    cleanups.push(() => cluster.stop());
    const placement = config.transport.kind === 'in-process'
      ? monolithPlacement(config.workerName)
      : new LivePlacement(cluster, {
        configured: {
          room: config.instances['event-persister'],
          ...Object.fromEntries(Object.entries(config.instances)),
          ...(config.federation.outboundRestrictedTo === undefined ? {} : { [FEDERATION_OUTBOUND_KIND]: config.federation.outboundRestrictedTo }),
        },
        fallback: ['main'],
      });
    // A key that moves here is created only after its previous owner finished and released it.
    const handoff = async (address: ActorAddress): Promise<void> => {
      if (!(placement instanceof LivePlacement)) return;
      const previous = placement.previousOwner(address.kind, address.key, config.workerName);
      if (previous === undefined || !cluster.isLive(previous)) return;
      await transport.request(releaseSubject(previous), new TextEncoder().encode(JSON.stringify(address)), { timeoutMs: 5000 });
    };
    const actors = new ActorSystem({
      instance: config.workerName,
      placement,
      transport,
      logger,
      unreachableAfterMs: config.actorUnreachableAfterMs,
      ...(placement instanceof LivePlacement ? { handoff } : {}),
    });
    hosting.actors = actors;
    if (placement instanceof LivePlacement) {
      // Keys placed elsewhere now finish what they have queued and give up what they hold.
      placement.onChange(() => void actors.rebalance().catch((error: unknown) => logger.error({ err: error }, 'rebalance failed')));
    }
    // Read at each scrape; every writer and reader a role starts on this transport is listed.
    registerMetricsSources(metrics, { actors: () => actors.metrics(), streams: () => openStreamsOf(transport), dbPool: () => db.poolStats?.() });
    const leases = new Leases(db, { logger });
    cleanups.push(() => leases.stopAll());
    const signingKey = await loadOrCreateSigningKey(config.signingKeyPath);
    const federation = createFederation({ config, db, signingKey, logger, actors });
    cleanups.push(async () => federation.close());
    for (const [name, stats] of Object.entries(federation.cacheStats)) metrics.caches.register(name, stats);
    const context: ServerContext = { config, serverName: config.serverName, instanceName: config.workerName, logger, db, transport, actors, cluster, leases, signingKey, federation, metrics, clock: systemClock };

    // Synapse's run_background_tasks_on: the named instance (main by default), whatever its app,
    // runs the periodic clean-ups; under a lease, so they never run twice at once.
    if (config.runBackgroundTasksOn === config.workerName) startBackgroundTasks({ db, leases, clock: context.clock, logger });

    const running: Array<{ role: RoleName; instance: RunningRole }> = [];
    for (const role of roles) {
      // A role may be composed of several modules (main = accounts and rooms + ephemeral streams).
      const modules = options.modules.filter((m) => m.role === role);
      if (modules.length === 0 && role === app) logger.warn({ role }, 'this role has no implementation yet; serving health and metrics only');
      for (const module of modules) {
        const instance = await module.start(context);
        running.push({ role, instance });
        cleanups.push(() => instance.stop());
      }
    }
    await actors.start();
    // Shutdown: stop serving actors, finish what is queued and release every actor (rooms move
    // only once their owner drained), then leave the cluster so others place the keys elsewhere.
    cleanups.push(() => cluster.leave());
    cleanups.push(() => actors.stop());
    // The kinds this process hosts are known now: tell the cluster without waiting for the next beat.
    await cluster.announce();

    // A process whose roles serve no routes (an event persister, a pusher, a federation sender)
    // listens with the health server: no Fastify, no access tokens to resolve.
    const servesRoutes = running.some(({ instance }) => instance.registerRoutes !== undefined);
    const servers: Array<{ readonly server: Server; close(): Promise<unknown> }> = [];
    const addresses: { host: string; port: number }[] = [];
    const routes = new Map<string, RegisteredRoute>();
    let resolveToken: TokenResolver<unknown> | undefined;
    if (servesRoutes) {
      // Tokens are resolved from memory once seen; the cache forgets a user's tokens when any
      // process commits a change to them (a LISTEN of this process, see access-token-cache.ts).
      const tokenCache = await AccessTokenCache.start(db, { logger });
      metrics.caches.register('access_tokens', () => tokenCache.stats());
      cleanups.push(() => tokenCache.stop());
      resolveToken = new AccessTokenAuth(db, { clock: context.clock, appservices: new Appservices(config.appservices), cache: tokenCache }).resolve;
    }
    const extraAddresses: Array<() => Promise<void>> = [];
    // Stop accepting requests before anything behind them closes.
    cleanups.push(async () => {
      await Promise.all(extraAddresses.map((close) => close()));
      // close() ends the keep-alive connections idle at that moment, once. A response still in
      // flight then (a streamed download whose client already has every byte, a long-poll)
      // leaves its connection open after it ends, holding the drain for the whole keep-alive
      // timeout: keep ending the connections that become idle until every server has closed.
      const sweep = setInterval(() => {
        for (const s of servers) s.server.closeIdleConnections();
      }, 100);
      try {
        await Promise.all(servers.map((s) => s.close()));
      } finally {
        clearInterval(sweep);
      }
    });
    const tls = await listenerTls(config);
    const isReady = () => running.every((r) => r.instance.isReady?.() ?? true);
    for (const listener of config.listeners) {
      const https = listener.tls === true ? tls : undefined;
      const resources = new Set((listener.resources ?? []).flatMap((r) => r.names) as ListenerResource[]);
      const hosts = listener.bind_addresses?.length ? listener.bind_addresses : ['127.0.0.1'];
      if (resolveToken === undefined) {
        const server = createHealthServer({ logger, metrics, isReady, serveMetrics: resources.has('metrics'), ...(https !== undefined ? { https } : {}) });
        servers.push(server);
        const listening = await listenOnAddresses(server, listener.port, hosts, https !== undefined ? { https } : {});
        extraAddresses.push(listening.close);
        addresses.push(...listening.addresses);
        continue;
      }
      const server = await createServer({
        logger,
        metrics,
        resolveToken,
        isReady,
        serveMetrics: resources.has('metrics'),
        xForwarded: listener.x_forwarded === true,
        ...(https !== undefined ? { https } : {}),
      });
      let registering: RoleName | undefined;
      server.addHook('onRoute', (route) => {
        if (registering === undefined) return;
        for (const method of [route.method].flat()) routes.set(`${method} ${route.url}`, { method, url: route.url, role: registering });
      });
      for (const { role, instance } of running) {
        registering = role;
        await instance.registerRoutes?.(server, resources);
      }
      registering = undefined;
      servers.push(server);
      const listening = await listenOnAddresses(server, listener.port, hosts, https !== undefined ? { https } : {});
      extraAddresses.push(listening.close);
      addresses.push(...listening.addresses);
    }
    // A route missing from the table is served, but authenticated only by its handler (after
    // body validation) and unknown to the reverse-proxy config: say so loudly.
    for (const problem of routeTableProblems([...routes.values()])) logger.error({ problem }, 'route table mismatch');
    // "started" is logged by the caller once it handles SIGTERM (run-app.ts): whoever waits for
    // the line may stop the process at once.
    return { config, context, roles, addresses, routes: [...routes.values()], stop: cleanup };
  } catch (error) {
    await cleanup();
    throw error;
  }
}
