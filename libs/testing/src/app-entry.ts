// The file a test or a bench starts an app from: the app's bundle (apps/<app>/dist/main.js),
// what `npm start` and the images run, so that is what the tests check. Built first when it is
// missing or older than its sources (tools/bundle; one builder at a time across processes).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const WORKSPACE_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BUNDLER = `${WORKSPACE_ROOT}tools/bundle/main.ts`;
const checked = new Set<string>();

export function appEntry(app: string): string {
  if (!checked.has(app)) {
    const run = spawnSync(process.execPath, [BUNDLER, '--if-stale', app], { encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`bundling ${app} failed (${run.status ?? run.signal}): ${run.stderr}${run.error?.message ?? ''}`);
    checked.add(app);
  }
  return `${WORKSPACE_ROOT}apps/${app}/dist/main.js`;
}
