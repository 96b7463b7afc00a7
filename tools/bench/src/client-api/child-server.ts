// Starts apps/main as a child process (so the load generator does not share its event loop) on
// a free port with open registration and raised rate limits, on PGlite or a throwaway PostgreSQL
// database, and reads its resident memory from /proc.
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { readFile, readdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { openDatabase } from '@homeserver/storage';
import { createTestDatabase, type TestPostgres } from '@homeserver/storage/testing';
import { appEntry, writeTestHomeserverConfig } from '@homeserver/testing';

export type StorageMode = 'pglite' | 'postgres';

export interface ChildServer {
  readonly baseUrl: string;
  readonly pid: number;
  /** The throwaway PostgreSQL database it runs on (undefined on PGlite). */
  readonly postgres: TestPostgres['options'] | undefined;
  /** Resident set size in MiB (VmRSS). */
  rssMiB(): Promise<number>;
  /** V8's heap, used and total, in MiB, from the server's /metrics ("heap used / total MiB"). */
  heap(): Promise<string>;
  /** The server's /metrics page ('' when it does not answer). */
  metrics(): Promise<string>;
  /** CPU time (user + system) the server process used so far, in seconds. */
  cpuSeconds(): Promise<number>;
  /**
   * CPU time the PostgreSQL backends serving the server's database used so far, in seconds (0
   * on PGlite, which runs inside the server): a figure the shared machine's load does not skew.
   * Backends that exited take their time with them; the server's pool keeps its connections.
   */
  postgresCpuSeconds(): Promise<number>;
  /**
   * Transactions committed or rolled back on the server's database so far (pg_stat_database; a
   * statement outside a transaction is one), as of PostgreSQL's last statistics flush: about a
   * second behind. 0 on PGlite.
   */
  postgresTransactions(): Promise<number>;
  /** Stops the server (SIGTERM) and starts it again on the same data; baseUrl and pid change. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** Extra node flags for the server (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`), from HS_BENCH_NODE_ARGS. */
function nodeArgs(): string[] {
  return (process.env['HS_BENCH_NODE_ARGS'] ?? '').split(' ').filter((a) => a !== '');
}

/**
 * homeserver.yaml keys from HS_BENCH_CONFIG_JSON (a JSON object), to measure a setting, e.g.
 * `HS_BENCH_CONFIG_JSON='{"node_heap":{"optimize_for_size":false}}'`.
 */
function configFromEnv(): Record<string, unknown> {
  const json = process.env['HS_BENCH_CONFIG_JSON'];
  if (json === undefined || json === '') return {};
  const parsed: unknown = JSON.parse(json);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error(`HS_BENCH_CONFIG_JSON must be a JSON object, got ${json}`);
  return parsed as Record<string, unknown>;
}

export interface ChildServerOptions {
  /** homeserver.yaml keys added last. Default: none. */
  readonly extra?: Record<string, unknown>;
}

export async function startChildServer(storage: StorageMode, options: ChildServerOptions = {}): Promise<ChildServer> {
  const dir = await mkdtemp(join(tmpdir(), `hs-bench-${storage}-`));
  let database: TestPostgres | undefined;
  if (storage === 'postgres') database = await createTestDatabase('hs_bench');
  const file = await writeTestHomeserverConfig(dir, { serverName: 'bench.local', postgres: database?.options, poolSize: 16, extra: { log_level: 'info', ...configFromEnv(), ...options.extra } });
  let running = await spawnMain(file, dir, storage);
  const halt = async () => {
    const exited = new Promise((resolve) => running.child.once('exit', resolve));
    running.child.kill('SIGTERM');
    await exited;
  };
  const metrics = () => fetch(`${running.baseUrl}/metrics`).then((r) => r.text(), () => '');
  return {
    get baseUrl() {
      return running.baseUrl;
    },
    get pid() {
      return running.child.pid!;
    },
    postgres: database?.options,
    async rssMiB() {
      const status = await readFile(`/proc/${running.child.pid}/status`, 'utf8');
      const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
      return kb / 1024;
    },
    metrics,
    async heap() {
      const text = await metrics();
      const gauge = (name: string) => Number(/^(\S+) (\S+)$/m.exec(text.split('\n').find((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `)) ?? '')?.[2] ?? NaN) / 1048576;
      return `V8 heap used ${gauge('nodejs_heap_size_used_bytes').toFixed(0)} / total ${gauge('nodejs_heap_size_total_bytes').toFixed(0)} MiB`;
    },
    cpuSeconds: () => processCpuSeconds(running.child.pid!),
    async postgresCpuSeconds() {
      if (!database) return 0;
      // A backend's title is "postgres: <cluster>: <user> <database> <client> <state>".
      const marker = ` ${database.options.database} `;
      let total = 0;
      for (const entry of await readdir('/proc')) {
        if (!/^[0-9]+$/.test(entry)) continue;
        const title = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
        if (title.startsWith('postgres:') && title.includes(marker)) total += await processCpuSeconds(Number(entry)).catch(() => 0);
      }
      return total;
    },
    async postgresTransactions() {
      if (!database) return 0;
      const stats = await openDatabase({ ...database.options, maxConnections: 1 }, { migrate: false });
      try {
        const { rows } = await stats.query<{ n: number }>('SELECT (xact_commit + xact_rollback)::int8 AS n FROM pg_stat_database WHERE datname = current_database()');
        return Number(rows[0]?.n ?? 0);
      } finally {
        await stats.close();
      }
    },
    async restart() {
      await halt();
      running = await spawnMain(file, dir, storage);
    },
    async stop() {
      await halt();
      await database?.drop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** User + system CPU of a process so far: fields 14 and 15 of /proc/<pid>/stat (after the parenthesised name), in clock ticks. */
async function processCpuSeconds(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function spawnMain(file: string, dir: string, storage: StorageMode): Promise<{ child: ChildProcess; baseUrl: string }> {
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs(), appEntry('main'), '-c', file], { cwd: dir, stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  // HS_BENCH_SERVER_LOG=<file>: the server's log lines are appended there (else dropped).
  const logFile = process.env['HS_BENCH_SERVER_LOG'];
  if (logFile) lines.on('line', (line) => appendFileSync(logFile, `${line}\n`));
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
  return { child, baseUrl };
}
