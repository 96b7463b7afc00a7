// Starts apps/main as a child process (so the load generator does not share its event loop) on
// a free port with open registration and raised rate limits, on PGlite or a throwaway PostgreSQL
// database, and reads its resident memory from /proc.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, type TestPostgres } from '@homeserver/storage/testing';
import { writeTestHomeserverConfig } from '@homeserver/testing';

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

export async function startChildServer(storage: StorageMode): Promise<ChildServer> {
  const dir = await mkdtemp(join(tmpdir(), `hs-bench-${storage}-`));
  let database: TestPostgres | undefined;
  if (storage === 'postgres') database = await createTestDatabase('hs_bench');
  const file = await writeTestHomeserverConfig(dir, { serverName: 'bench.local', postgres: database?.options, poolSize: 16, extra: { log_level: 'info' } });
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
