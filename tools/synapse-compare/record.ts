// Records Synapse's answers to the admin scenario (libs/testing admin-scenario.ts) as the fixture
// apps/main's comparison test checks this server against, field by field:
//
//   npx node tools/synapse-compare/record.ts [--synapse 1.163.*] [--out apps/main/src/testing/synapse-admin-answers.json]
//
// Installs matrix-synapse from PyPI into a venv cached under ~/.cache/homeserver-tests, generates
// a config (SQLite, open registration, a shared secret, generous rate limits) in a temporary
// folder, runs Synapse on a free port, runs the scenario and writes each answer's status and shape.
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { freePort, runAdminScenario, shapeOf } from '@homeserver/testing';

const run = promisify(execFile);
const SERVER_NAME = 'compare.test';
const SECRET = 'synapse-compare-secret';

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}

async function synapseVenv(spec: string): Promise<string> {
  const venv = join(process.env['XDG_CACHE_HOME'] ?? join(homedir(), '.cache'), 'homeserver-tests', `synapse-${spec.replace(/\.\*$/, '')}-venv`);
  const python = join(venv, 'bin', 'python');
  if (!existsSync(join(venv, 'bin', 'synctl'))) {
    await mkdir(venv, { recursive: true });
    await run('python3', ['-m', 'venv', venv]);
    await run(join(venv, 'bin', 'pip'), ['install', '--quiet', '--disable-pip-version-check', `matrix-synapse==${spec}`], { timeout: 1_800_000 });
  }
  return python;
}

async function main(): Promise<void> {
  const spec = option('--synapse', '1.163.*');
  const out = resolve(option('--out', 'apps/main/src/testing/synapse-admin-answers.json'));
  const python = await synapseVenv(spec);
  const { stdout: version } = await run(python, ['-c', 'import synapse; print(synapse.__version__)']);
  const dir = await mkdtemp(join(tmpdir(), 'synapse-compare-'));
  const config = join(dir, 'homeserver.yaml');
  await run(python, ['-m', 'synapse.app.homeserver', '--server-name', SERVER_NAME, '--config-path', config, '--data-directory', dir, '--generate-config', '--report-stats=no'], { cwd: dir });
  const port = await freePort();
  const generous = { per_second: 10_000, burst_count: 10_000 };
  // Synapse merges several -c files key by key: the generated one, then these (JSON is YAML).
  const overrides = join(dir, 'overrides.yaml');
  await writeFile(overrides, JSON.stringify({
    listeners: [{ port, bind_addresses: ['127.0.0.1'], type: 'http', tls: false, x_forwarded: false, resources: [{ names: ['client'], compress: false }] }],
    database: { name: 'sqlite3', args: { database: join(dir, 'homeserver.db') } },
    enable_registration: true,
    enable_registration_without_verification: true,
    registration_shared_secret: SECRET,
    rc_message: generous,
    rc_registration: generous,
    rc_login: { address: generous, account: generous, failed_attempts: generous },
    rc_admin_redaction: generous,
    rc_joins: { local: generous, remote: generous },
    trusted_key_servers: [],
  }));
  const synapse = spawn(python, ['-m', 'synapse.app.homeserver', '-c', config, '-c', overrides], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
  try {
    const base = `http://127.0.0.1:${port}`;
    for (let tries = 0; ; tries++) {
      if (synapse.exitCode !== null) throw new Error(`Synapse exited with ${synapse.exitCode}`);
      const ok = await fetch(`${base}/health`).then((r) => r.ok).catch(() => false);
      if (ok) break;
      if (tries > 1200) throw new Error('Synapse did not answer /health within 2 minutes');
      await new Promise((r) => setTimeout(r, 100));
    }
    const answers = await runAdminScenario(base, SECRET);
    const recorded = Object.fromEntries(Object.entries(answers).map(([name, a]) => [name, { status: a.status, shape: shapeOf(a.body) }]));
    await writeFile(out, `${JSON.stringify({ synapse_version: version.trim(), server_name: SERVER_NAME, answers: recorded }, null, 2)}\n`);
    process.stdout.write(`recorded ${Object.keys(recorded).length} answers of Synapse ${version.trim()} into ${out}\n`);
  } finally {
    synapse.kill('SIGTERM');
    await new Promise((r) => synapse.once('exit', r));
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
