// The contract every app keeps as a process, run by each app's own tests: it starts from its
// config, serves /health, /health/ready and /metrics with its worker_name, and exits 0 on
// SIGTERM after draining; a bad config makes it exit non-zero naming the problem.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { runAppToExit, startAppProcess } from './app-process.ts';

export async function writeConfigFiles(files: Record<string, string>): Promise<Record<string, string>> {
  const dir = await mkdtemp(join(tmpdir(), 'hs-app-'));
  const paths: Record<string, string> = {};
  for (const [name, text] of Object.entries(files)) {
    paths[name] = join(dir, name);
    await writeFile(paths[name]!, text);
  }
  return paths;
}

/** Checks /health, readiness, /metrics and the SIGTERM drain of a running app. */
export function itServesHealthAndDrains(app: string, configFiles: () => Promise<readonly string[]>, workerName: string): void {
  it(`${app}: serves /health, /health/ready and /metrics, then exits 0 on SIGTERM`, async () => {
    const running = await startAppProcess(app, { configFiles: await configFiles() });
    try {
      const base = `http://127.0.0.1:${running.addresses[0]!.port}`;
      const health = await fetch(`${base}/health`);
      expect(health.status).toBe(200);
      expect(await health.text()).toBe('OK');
      expect((await fetch(`${base}/health/ready`)).status).toBe(200);
      const metrics = await (await fetch(`${base}/metrics`)).text();
      expect(metrics).toContain(`worker_name="${workerName}"`);
      expect(metrics).toContain('process_resident_memory_bytes');
      expect(metrics).toMatch(/^db_pool_connections\{state="total",[^}]*\} \d/m);
      expect(running.logs.every((line) => line.worker_name === undefined || line.worker_name === workerName)).toBe(true);
    } finally {
      expect(await running.stop('SIGTERM')).toBe(0);
    }
  }, 180_000);
}

/** Checks that a config error ends the process non-zero with a message naming the key. */
export function itRejectsBadConfig(app: string, files: Record<string, string>, expected: RegExp): void {
  it(`${app}: exits non-zero with a clear message on a bad config`, async () => {
    const paths = await writeConfigFiles(files);
    const exit = await runAppToExit(app, { configFiles: Object.values(paths) });
    expect(exit.code).not.toBe(0);
    expect(exit.messages).toMatch(expected);
  }, 180_000);
}
