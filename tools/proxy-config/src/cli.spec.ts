import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './cli.ts';
import { writeWorkerConfigs } from './testing/deployments.ts';

async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

describe('proxy-config command', () => {
  let dir: string;
  let files: string[];
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hs-proxy-config-'));
    files = await writeWorkerConfigs(dir);
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('renders nginx and haproxy from the shared file and the worker files', async () => {
    const nginx = await run(['--format', 'nginx', ...files.flatMap((f) => ['-c', f]), '--listen', '8080']);
    expect(nginx.code).toBe(0);
    expect(nginx.stdout).toContain('server 127.0.0.1:8083;  # sync1');
    expect(nginx.stdout).toContain('server 127.0.0.1:8087;  # media1');
    expect(nginx.stdout).toContain('listen 8080;');
    const haproxy = await run(['--format=haproxy', ...files.flatMap((f) => ['--config-path', f])]);
    expect(haproxy.code).toBe(0);
    expect(haproxy.stdout).toContain('server fed2 127.0.0.1:8086');
  });

  it('routes everything to main given the shared file alone', async () => {
    const only = await run(['--format', 'nginx', '-c', files[0]!]);
    expect(only.code).toBe(0);
    expect(only.stdout).not.toContain('location ~');
    expect(only.stdout).toContain('proxy_pass http://main;');
  });

  it('refuses bad arguments with exit 2 and the usage', async () => {
    for (const argv of [['--format', 'apache', '-c', files[0]!], ['--format', 'nginx'], ['--format', 'nginx', '--bogus']]) {
      const result = await run(argv);
      expect(result.code, argv.join(' ')).toBe(2);
      expect(result.stderr).toContain('usage: proxy-config');
    }
  });

  it('refuses configs a proxy cannot route to, naming the file', async () => {
    const ephemeral = join(dir, 'ephemeral.yaml');
    await writeFile(ephemeral, 'worker_app: sync\nworker_name: sync9\nworker_listeners: [{port: 0, type: http, resources: [{names: [client]}]}]\n');
    const result = await run(['--format', 'nginx', '-c', files[0]!, '-c', ephemeral]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('ephemeral.yaml: a listener on port 0');
    const twice = await run(['--format', 'nginx', '-c', files[0]!, '-c', files[1]!, '-c', files[1]!]);
    expect(twice.stderr).toContain('worker_name sync1 is used twice');
    const bad = join(dir, 'bad.yaml');
    await writeFile(bad, 'worker_app: nonsense\nworker_name: x\n');
    expect((await run(['--format', 'nginx', '-c', files[0]!, '-c', bad])).stderr).toContain('key "worker_app" has value "nonsense"');
  });
});
