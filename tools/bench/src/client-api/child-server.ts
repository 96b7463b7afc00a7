// Starts apps/main as a child process (so the load generator does not share its event loop) on
// a free port with open registration and raised rate limits, on PGlite or a throwaway PostgreSQL
// database, and reads its resident memory from /proc.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, type TestPostgres } from '@homeserver/storage/testing';

export type StorageMode = 'pglite' | 'postgres';

export interface ChildServer {
  readonly baseUrl: string;
  readonly pid: number;
  /** Resident set size in MiB (VmRSS). */
  rssMiB(): Promise<number>;
  stop(): Promise<void>;
}

const MAIN = fileURLToPath(new URL('../../../../apps/main/src/main.ts', import.meta.url));
/** Extra node flags for the server (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`), from HS_BENCH_NODE_ARGS. */
function nodeArgs(): string[] {
  return (process.env['HS_BENCH_NODE_ARGS'] ?? '').split(' ').filter((a) => a !== '');
}

const generous = '{per_second: 100000, burst_count: 100000}';

export async function startChildServer(storage: StorageMode): Promise<ChildServer> {
  const dir = await mkdtemp(join(tmpdir(), `hs-bench-${storage}-`));
  let database: TestPostgres | undefined;
  let databaseYaml = '';
  if (storage === 'postgres') {
    database = await createTestDatabase('hs_bench');
    const o = database.options;
    databaseYaml = `database: {name: psycopg2, args: {host: "${o.host}", port: ${o.port}, user: "${o.user}", password: "${o.password}", database: "${o.database}", cp_max: 16}}`;
  }
  const file = join(dir, 'homeserver.yaml');
  await writeFile(file, [
    'server_name: bench.local',
    'listeners: [{port: 0, type: http, resources: [{names: [client, health]}]}]',
    'log_level: info',
    'enable_registration: true',
    'enable_registration_without_verification: true',
    `rc_message: ${generous}`,
    `rc_registration: ${generous}`,
    `rc_login: {address: ${generous}, account: ${generous}, failed_attempts: ${generous}}`,
    `rc_joins: {local: ${generous}}`,
    databaseYaml,
  ].join('\n'));
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs(), MAIN, '-c', file], { cwd: dir, stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  const baseUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`main did not report "started" within 240 s (${storage})`)), 240_000);
    child.once('exit', (code) => reject(new Error(`main exited with ${code} before starting (${storage})`)));
    lines.on('line', (line) => {
      if (!line.includes('"msg":"started"')) return;
      const { addresses } = JSON.parse(line) as { addresses: { host: string; port: number }[] };
      clearTimeout(timer);
      resolve(`http://${addresses[0]!.host}:${addresses[0]!.port}`);
    });
  });
  return {
    baseUrl,
    pid: child.pid!,
    async rssMiB() {
      const status = await readFile(`/proc/${child.pid}/status`, 'utf8');
      const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
      return kb / 1024;
    },
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      await database?.drop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
