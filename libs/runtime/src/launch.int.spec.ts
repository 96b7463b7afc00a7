// The heap policy an app applies as it starts (launch.ts): a process started with neither the
// node flags nor the environment node_heap asks for replaces itself, same pid, with one that
// has both; a value the admin set in the environment is kept.
import { readFile } from 'node:fs/promises';
import { startAppProcess, useWorkerServices, writeConfigFiles } from '@homeserver/testing';
import { describe, expect, it } from 'vitest';

const services = useWorkerServices();

/** Starts a pusher worker with `nodeHeap` (YAML) and `env`; returns its command line and environment as it serves. */
async function startedPusher(nodeHeap: string, env: Record<string, string>): Promise<{ argv: string[]; env: Map<string, string> }> {
  const paths = await writeConfigFiles({
    'homeserver.yaml': `server_name: test.local\n${services.databaseYaml()}${services.natsYaml()}worker_replication_secret: launch-test\npusher_instances: [pusher1]\n${nodeHeap}`,
    'worker.yaml': 'worker_app: pusher\nworker_name: pusher1\nworker_listeners: [{port: 0, type: http, resources: [{names: [health]}]}]\n',
  });
  const app = await startAppProcess('pusher', { configFiles: Object.values(paths), env });
  try {
    const pid = app.child.pid!;
    const argv = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0');
    const environ = (await readFile(`/proc/${pid}/environ`, 'utf8')).split('\0').filter((v) => v.includes('='));
    return { argv, env: new Map(environ.map((v) => [v.slice(0, v.indexOf('=')), v.slice(v.indexOf('=') + 1)])) };
  } finally {
    expect(await app.stop()).toBe(0);
  }
}

describe('node_heap applied at start', () => {
  it('a worker serves with the semi-space flag and one malloc arena by default', async () => {
    const started = await startedPusher('', { MALLOC_ARENA_MAX: '' });
    expect(started.argv).toContain('--max-semi-space-size=2');
    expect(started.env.get('MALLOC_ARENA_MAX')).toBe('1');
  });

  it('keeps the arenas the admin set in the environment, and leaves them to glibc with malloc_arena_max: 0', async () => {
    expect((await startedPusher('', { MALLOC_ARENA_MAX: '3' })).env.get('MALLOC_ARENA_MAX')).toBe('3');
    // An empty value counts as unset (the first case); with 0 none is added.
    expect((await startedPusher('node_heap: {malloc_arena_max: 0}\n', { MALLOC_ARENA_MAX: '' })).env.get('MALLOC_ARENA_MAX') ?? '').toBe('');
  });
});
