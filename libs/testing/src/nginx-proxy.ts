// nginx in front of a deployment, on the config tools/proxy-config renders from its
// homeserver.yaml and worker files (the routing an admin would deploy). nginx comes from
// Debian through tools/services/ensure-services.sh when it is missing; a failed install fails
// the caller loudly rather than testing without the proxy.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { WORKSPACE_ROOT } from './app-entry.ts';
import { freePort } from './free-port.ts';
import { SpawnedServer } from './spawned-server.ts';

const NGINX = '/usr/sbin/nginx';

export interface NginxProxyOptions {
  /** Where the rendered nginx.conf, its pid file and logs go. Required. */
  readonly dir: string;
  /** homeserver.yaml first, then each worker file whose listeners nginx routes to. Required. */
  readonly configFiles: readonly string[];
  /** Log every request (benchmarks turn it off: they measure the servers, not nginx's logging). Default: true. */
  readonly accessLog?: boolean;
}

export interface NginxProxy {
  /** The proxy's base URL, e.g. http://127.0.0.1:PORT. */
  readonly base: string;
  stop(): Promise<void>;
}

export async function startNginxProxy(options: NginxProxyOptions): Promise<NginxProxy> {
  if (!existsSync(NGINX)) {
    const script = join(WORKSPACE_ROOT, 'tools/services/ensure-services.sh');
    const installed = spawnSync('bash', [script], { encoding: 'utf8' });
    if (installed.status !== 0 || !existsSync(NGINX)) throw new Error(`could not install nginx with ${script}:\n${installed.stdout}${installed.stderr}`);
  }
  const port = await freePort();
  const configArgs = options.configFiles.flatMap((file) => ['-c', file]);
  const rendered = spawnSync(process.execPath, [join(WORKSPACE_ROOT, 'tools/proxy-config/src/main.ts'), '--format', 'nginx', '--listen', `127.0.0.1:${port}`, ...configArgs], { encoding: 'utf8' });
  if (rendered.status !== 0) throw new Error(`tools/proxy-config failed: ${rendered.stderr}`);
  const conf = join(options.dir, 'nginx.conf');
  await writeFile(conf, options.accessLog === false ? rendered.stdout.replace('http {', 'http {\n    access_log off;') : rendered.stdout);
  const nginx = new SpawnedServer({ binary: NGINX, args: ['-p', options.dir, '-c', conf, '-g', `daemon off; pid ${join(options.dir, 'nginx.pid')}; error_log ${join(options.dir, 'nginx-error.log')};`], port });
  await nginx.start();
  return { base: `http://127.0.0.1:${port}`, stop: () => nginx.stop() };
}
