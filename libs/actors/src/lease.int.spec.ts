import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { openDatabase, type Database } from '@homeserver/storage';
import { createTestDatabase, type TestPostgres } from '@homeserver/storage/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LeaseLostError, Leases } from './lease.ts';

const fixture = fileURLToPath(new URL('../test/fixtures/lease-holder.ts', import.meta.url));
const POLL_MS = 300;
// Room for process scheduling on a busy 2-core machine on top of the one poll interval.
const SCHEDULING_SLACK_MS = 700;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

let pg: TestPostgres;
let db: Database;
const children: ChildProcess[] = [];

beforeAll(async () => {
  pg = await createTestDatabase('hs_actors');
  db = await openDatabase(pg.options, { migrate: false });
  await db.exec('CREATE TABLE lease_heartbeats (id bigserial PRIMARY KEY, holder text NOT NULL, at timestamptz NOT NULL)');
});

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await db?.close();
  await pg?.drop();
});

/** Resolves once `condition` holds (the test's own timeout bounds the wait). */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await sleep(10);
}

/** A lease-holder fixture process; `lines` collects what it printed, `waitFor` awaits a line. */
function startHolder(label: string, leaseName: string) {
  const child = spawn(process.execPath, [fixture], {
    env: { ...process.env, LEASE_DB: JSON.stringify(pg.options), LEASE_NAME: leaseName, LEASE_LABEL: label, LEASE_POLL_MS: String(POLL_MS) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const lines: string[] = [];
  let stderr = '';
  const waiters: { line: string; resolve: (at: number) => void }[] = [];
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    for (const line of chunk.split('\n').filter(Boolean)) {
      lines.push(line);
      for (const waiter of waiters.filter((w) => w.line === line)) waiter.resolve(Date.now());
    }
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const waitFor = (line: string, timeoutMs: number) =>
    new Promise<number>((resolve, reject) => {
      if (lines.includes(line)) return resolve(Date.now());
      const timer = setTimeout(() => reject(new Error(`${label} did not print ${JSON.stringify(line)} within ${timeoutMs} ms; stderr: ${stderr}`)), timeoutMs);
      waiters.push({ line, resolve: (at) => (clearTimeout(timer), resolve(at)) });
    });
  return { child, lines, waitFor };
}

async function heartbeats(): Promise<{ holder: string; at: Date }[]> {
  return (await db.query<{ holder: string; at: Date }>('SELECT holder, at FROM lease_heartbeats ORDER BY at, id')).rows;
}

describe('Leases on real PostgreSQL', () => {
  it('fails over between two OS processes when the holder is killed, never with two holders', async () => {
    const a = startHolder('A', 'media-cleanup');
    await a.waitFor('acquired', 20_000);
    const b = startHolder('B', 'media-cleanup');
    await b.waitFor('ready', 20_000);
    await sleep(POLL_MS * 4);
    expect(b.lines).not.toContain('acquired');

    const killedAt = Date.now();
    a.child.kill('SIGKILL');
    const takenAt = await b.waitFor('acquired', 10_000);
    // The server frees a dead session's lock at once; B wins on its next poll.
    const takeoverMs = takenAt - killedAt;
    expect(takeoverMs, `takeover took ${takeoverMs} ms with a ${POLL_MS} ms poll interval`).toBeLessThan(POLL_MS + SCHEDULING_SLACK_MS);
    await sleep(POLL_MS);
    b.child.kill('SIGTERM');
    // 'close', not 'exit': only then has everything the child printed been read.
    await new Promise((resolve) => b.child.once('close', resolve));
    expect(b.lines).toContain('lost'); // the duty saw its signal abort on stop

    const beats = await heartbeats();
    const holders = beats.map((beat) => beat.holder);
    expect(holders.filter((h) => h === 'A').length).toBeGreaterThan(5);
    expect(holders.filter((h) => h === 'B').length).toBeGreaterThan(3);
    // Exactly one holder at any time: all of A's heartbeats precede all of B's.
    const switches = holders.filter((holder, i) => i > 0 && holder !== holders[i - 1]).length;
    expect(switches).toBe(1);
    expect(holders[0]).toBe('A');
  });

  it('aborts the duty with LeaseLostError when the lock connection dies, and someone holds it again', async () => {
    const one = await openDatabase(pg.options, { migrate: false });
    const two = await openDatabase(pg.options, { migrate: false });
    const leasesOne = new Leases(one, { pollIntervalMs: 100 });
    const leasesTwo = new Leases(two, { pollIntervalMs: 100 });
    const reasons: unknown[] = [];
    const duty = (who: string) => async ({ signal }: { signal: AbortSignal }) => {
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve()));
      reasons.push([who, signal.reason]);
    };
    const runOne = leasesOne.runExclusive('lost-test', duty('one'));
    await sleep(300);
    const runTwo = leasesTwo.runExclusive('lost-test', duty('two'));
    await sleep(300);
    expect(runOne.holding).toBe(true);
    expect(runTwo.holding).toBe(false);

    // Kill the backend holding the advisory lock, as a network cut or DB restart would. Only in
    // this test's own database: the server is shared with other suites.
    const { rows } = await db.query<{ killed: boolean }>(
      `SELECT pg_terminate_backend(pid) AS killed FROM pg_locks
        WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    );
    expect(rows).toEqual([{ killed: true }]);
    await sleep(600);
    expect(reasons[0]).toEqual(['one', expect.any(LeaseLostError)]);
    expect([runOne.holding, runTwo.holding].filter(Boolean)).toHaveLength(1);

    await runOne.stop();
    await runTwo.stop();
    await sleep(50);
    expect(runOne.holding || runTwo.holding).toBe(false);
    await one.close();
    await two.close();
  });

  it('hands the lease over on a graceful stop and restarts a duty that returned', async () => {
    const one = await openDatabase(pg.options, { migrate: false });
    const two = await openDatabase(pg.options, { migrate: false });
    let runsOfShortDuty = 0;
    const short = new Leases(one, { pollIntervalMs: 50 }).runExclusive('short', () => {
      runsOfShortDuty++;
    });
    // Returned at once each time: released, then taken again after one poll interval.
    await until(() => runsOfShortDuty > 2);
    await short.stop();

    const first = new Leases(one, { pollIntervalMs: 50 }).runExclusive('handover', ({ signal }) => new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve())));
    await until(() => first.holding);
    const second = new Leases(two, { pollIntervalMs: 50 }).runExclusive('handover', ({ signal }) => new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve())));
    // A few of its poll intervals: it never takes a lease that is held.
    await sleep(200);
    expect([first.holding, second.holding]).toEqual([true, false]);
    await first.stop();
    await until(() => second.holding);
    await second.stop();
    await one.close();
    await two.close();
  });
});
