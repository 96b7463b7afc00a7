// Deployments the proxy-config tests share: main plus two sync workers, two federation readers
// and a media worker, each on its own port; and the same as config files on disk.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Deployment, Instance } from '../deployment.ts';

export interface WorkerPorts {
  readonly main: number;
  readonly sync1: number;
  readonly sync2: number;
  readonly fed1: number;
  readonly fed2: number;
  readonly media1: number;
}

export const DEFAULT_PORTS: WorkerPorts = { main: 8008, sync1: 8083, sync2: 8084, fed1: 8085, fed2: 8086, media1: 8087 };

const WORKERS = [
  { name: 'sync1', app: 'sync', resources: ['client'] },
  { name: 'sync2', app: 'sync', resources: ['client'] },
  { name: 'fed1', app: 'federation-reader', resources: ['federation'] },
  { name: 'fed2', app: 'federation-reader', resources: ['federation'] },
  { name: 'media1', app: 'media', resources: ['media', 'client'] },
] as const;

function instance(name: string, role: Instance['role'], port: number, resources: readonly string[]): Instance {
  return { name, role, listeners: [{ host: '127.0.0.1', port, resources: new Set(resources) }], source: `${name}.yaml` };
}

/** The deployment as loadDeployment returns it. */
export function workerDeployment(ports: WorkerPorts = DEFAULT_PORTS): Deployment {
  return {
    serverName: 'example.org',
    main: instance('main', 'main', ports.main, ['client', 'federation']),
    workers: WORKERS.map((w) => instance(w.name, w.app, ports[w.name], w.resources)),
  };
}

/** Writes homeserver.yaml and one file per worker into `dir`; returns [shared, ...workers]. */
export async function writeWorkerConfigs(dir: string, ports: WorkerPorts = DEFAULT_PORTS): Promise<string[]> {
  const shared = join(dir, 'homeserver.yaml');
  await writeFile(
    shared,
    [
      'server_name: example.org',
      'database: {name: psycopg2, args: {user: postgres, password: postgres, database: hs, host: 127.0.0.1}}',
      'nats: {servers: ["nats://127.0.0.1:4222"]}',
      'worker_replication_secret: proxy-config-test',
      `listeners: [{port: ${ports.main}, type: http, bind_addresses: ['127.0.0.1'], resources: [{names: [client, federation]}]}]`,
      '',
    ].join('\n'),
  );
  const files = [shared];
  for (const w of WORKERS) {
    const file = join(dir, `${w.name}.yaml`);
    await writeFile(file, `worker_app: ${w.app}\nworker_name: ${w.name}\nworker_listeners: [{port: ${ports[w.name]}, type: http, resources: [{names: [${w.resources.join(', ')}]}]}]\n`);
    files.push(file);
  }
  return files;
}
