// The processes of a deployment as the proxy sees them: the main process (the shared
// homeserver.yaml alone) and each worker (the shared file plus its own), with the HTTP listeners
// each one serves and their resources. Loaded and validated by @homeserver/config, as the
// processes themselves load them, so a config the server would refuse is refused here too.
import { loadConfig, type ListenerConfig, type RoleName } from '@homeserver/config';

export interface ListenerAddress {
  readonly host: string;
  readonly port: number;
  /** Synapse resource names this listener serves (`client`, `federation`, ...). */
  readonly resources: ReadonlySet<string>;
}

export interface Instance {
  /** worker_name (`main` for the main process). */
  readonly name: string;
  readonly role: RoleName;
  readonly listeners: readonly ListenerAddress[];
  /** The file(s) it was loaded from, for messages. */
  readonly source: string;
}

export interface Deployment {
  readonly serverName: string;
  readonly main: Instance;
  readonly workers: readonly Instance[];
}

// A proxy cannot reach "any address": a wildcard bind is reached on loopback.
function reachableHost(bind: string | undefined): string {
  if (bind === undefined || bind === '0.0.0.0') return '127.0.0.1';
  if (bind === '::') return '::1';
  return bind;
}

function listenersOf(listeners: readonly ListenerConfig[], source: string): ListenerAddress[] {
  return listeners
    .filter((l) => l.type === 'http')
    .map((l) => {
      if (l.port === 0) throw new Error(`${source}: a listener on port 0 has no fixed port a proxy could send to; give it a port`);
      return { host: reachableHost(l.bind_addresses?.[0]), port: l.port, resources: new Set((l.resources ?? []).flatMap((r) => r.names)) };
    });
}

/** Loads `shared` as the main process and each of `workerFiles` on top of it as one worker. */
export async function loadDeployment(shared: string, workerFiles: readonly string[] = []): Promise<Deployment> {
  const mainConfig = await loadConfig([shared]);
  if (mainConfig.workerApp !== 'main') throw new Error(`${shared}: the first config must be the shared homeserver.yaml, but it sets worker_app ${mainConfig.workerApp}`);
  const main: Instance = { name: mainConfig.workerName, role: 'main', listeners: listenersOf(mainConfig.listeners, shared), source: shared };
  const workers: Instance[] = [];
  const names = new Set([main.name]);
  for (const file of workerFiles) {
    const config = await loadConfig([shared, file]);
    const source = `${shared} + ${file}`;
    if (config.workerApp === 'main') throw new Error(`${file}: a worker file needs worker_app (one of the worker roles), not the main process`);
    if (names.has(config.workerName)) throw new Error(`${file}: worker_name ${config.workerName} is used twice`);
    names.add(config.workerName);
    workers.push({ name: config.workerName, role: config.workerApp, listeners: listenersOf(config.listeners, source), source });
  }
  return { serverName: mainConfig.serverName, main, workers };
}
