import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, defaultConfigYaml, loadConfig, loadConfigWithDigest, parseCommandLine } from './index.ts';

async function files(contents: Record<string, string>): Promise<Record<string, string>> {
  const dir = await mkdtemp(join(tmpdir(), 'hs-config-'));
  const paths: Record<string, string> = {};
  for (const [name, text] of Object.entries(contents)) {
    paths[name] = join(dir, name);
    await writeFile(paths[name]!, text);
  }
  return paths;
}

describe('loadConfig', () => {
  it('resolves the embedded defaults beside the config file', async () => {
    const p = await files({ 'homeserver.yaml': defaultConfigYaml({ registrationSharedSecret: 's3cret' }) });
    const config = await loadConfig([p['homeserver.yaml']!]);
    const dir = config.configDir;
    expect(config.serverName).toBe('localhost');
    expect(config.workerApp).toBe('main');
    expect(config.database).toEqual({ kind: 'pglite', path: join(dir, 'homeserver.db') });
    expect(config.transport).toEqual({ kind: 'in-process' });
    expect(config.mediaStorePath).toBe(join(dir, 'media_store'));
    expect(config.signingKeyPath).toBe(join(dir, 'localhost.signing.key'));
    expect(config.listeners[0]?.port).toBe(8008);
    expect(config.enableRegistration).toBe(false);
    expect(config.allowGuestAccess).toBe(false);
    expect(config.registrationSharedSecret).toBe('s3cret');
  });

  it('reads node_heap (semi-space 2 MiB, 16 for a monolith on PostgreSQL, V8\'s old space, optimize_for_size off, a quiet process collecting after 10 s, one malloc arena by default) and refuses a bad size naming the key', async () => {
    const defaults = await files({ 'homeserver.yaml': 'server_name: example.org' });
    expect((await loadConfig([defaults['homeserver.yaml']!])).nodeHeap).toEqual({ maxSemiSpaceMiB: 2, maxOldSpaceMiB: undefined, optimizeForSize: false, releaseWhenIdleAfterMs: 10_000, mallocArenaMax: 1 });
    // The one process of a monolith on PostgreSQL does every role's work: a 16 MiB semi-space; its workers keep 2.
    const postgres = 'server_name: example.org\ndatabase: {name: psycopg2, args: {database: synapse}}';
    const monolith = await files({ 'homeserver.yaml': postgres });
    expect((await loadConfig([monolith['homeserver.yaml']!])).nodeHeap.maxSemiSpaceMiB).toBe(16);
    const worker = await files({ 'homeserver.yaml': `${postgres}\nworker_app: sync\nworker_name: sync1\nworker_replication_secret: s\nredis: {enabled: true}` });
    expect((await loadConfig([worker['homeserver.yaml']!])).nodeHeap.maxSemiSpaceMiB).toBe(2);
    const chosen = await files({ 'homeserver.yaml': `${postgres}\nnode_heap: {max_semi_space_size: 4}` });
    expect((await loadConfig([chosen['homeserver.yaml']!])).nodeHeap.maxSemiSpaceMiB).toBe(4);
    const set = await files({ 'homeserver.yaml': 'server_name: example.org\nnode_heap: {max_semi_space_size: 8, max_old_space_size: 256, optimize_for_size: true, release_when_idle_after: 0, malloc_arena_max: 0}' });
    expect((await loadConfig([set['homeserver.yaml']!])).nodeHeap).toEqual({ maxSemiSpaceMiB: 8, maxOldSpaceMiB: 256, optimizeForSize: true, releaseWhenIdleAfterMs: 0, mallocArenaMax: 0 });
    const bad = await files({ 'homeserver.yaml': 'server_name: example.org\nnode_heap: {max_semi_space_size: 0}' });
    await expect(loadConfig([bad['homeserver.yaml']!])).rejects.toThrow(/node_heap/);
  });

  it('reads Synapse-shaped database args and lets later files override earlier ones', async () => {
    const p = await files({
      'homeserver.yaml': [
        'server_name: example.org',
        'database: {name: psycopg2, args: {user: syn, password: pw, database: syndb, host: db.local, port: 5433, cp_max: 7}}',
        'nats: {servers: ["nats://127.0.0.1:4222"], user: hs, password: pw}',
        'worker_replication_secret: repl-s3cret',
        'stream_writers: {events: [persister1, persister2], typing: main}',
        'enable_registration: true',
        'enable_registration_without_verification: true',
        'allow_guest_access: true',
      ].join('\n'),
      'worker.yaml': [
        'worker_app: synapse.app.federation_sender',
        'worker_name: sender1',
        'worker_listeners: [{port: 9101, type: http, resources: [{names: [health]}]}]',
      ].join('\n'),
    });
    const config = await loadConfig([p['homeserver.yaml']!, p['worker.yaml']!]);
    expect(config.database).toEqual({ kind: 'postgres', host: 'db.local', port: 5433, user: 'syn', password: 'pw', database: 'syndb', maxConnections: 7 });
    expect(config.workerApp).toBe('federation-sender');
    expect(config.workerName).toBe('sender1');
    expect(config.listeners).toEqual([{ port: 9101, type: 'http', resources: [{ names: ['health'] }] }]);
    expect(config.transport).toMatchObject({ kind: 'nats', servers: ['nats://127.0.0.1:4222'], user: 'hs', password: 'pw' });
    expect(config.replicationSecret).toBe('repl-s3cret');
    expect(config.instances['event-persister']).toEqual(['persister1', 'persister2']);
    expect(config.streamWriters.typing).toEqual(['main']);
    expect(config.enableRegistration).toBe(true);
    expect(config.allowGuestAccess).toBe(true);
  });

  it('reads Synapse\'s user_directory and turn_* keys, with Synapse\'s defaults when absent', async () => {
    const p = await files({
      'none.yaml': 'server_name: x.org\n',
      'set.yaml': [
        'server_name: x.org',
        'user_directory: {enabled: false, search_all_users: true, prefer_local_users: true, exclude_remote_users: true}',
        'turn_uris: ["turn:turn.x.org:3478?transport=udp", "turns:turn.x.org:443?transport=tcp"]',
        'turn_shared_secret: s3cret',
        'turn_user_lifetime: 2h',
        'turn_allow_guests: false',
      ].join('\n'),
      'ms.yaml': 'server_name: x.org\nturn_user_lifetime: 90000\n',
    });
    const none = await loadConfig([p['none.yaml']!]);
    expect(none.userDirectory).toEqual({ enabled: true, searchAllUsers: false, preferLocalUsers: false, excludeRemoteUsers: false });
    expect(none.voip).toEqual({ turnUris: [], turnSharedSecret: undefined, turnUsername: undefined, turnPassword: undefined, turnUserLifetimeMs: 3_600_000, turnAllowGuests: true });
    const set = await loadConfig([p['set.yaml']!]);
    expect(set.userDirectory).toEqual({ enabled: false, searchAllUsers: true, preferLocalUsers: true, excludeRemoteUsers: true });
    expect(set.voip).toMatchObject({ turnUris: ['turn:turn.x.org:3478?transport=udp', 'turns:turn.x.org:443?transport=tcp'], turnSharedSecret: 's3cret', turnUserLifetimeMs: 7_200_000, turnAllowGuests: false });
    expect((await loadConfig([p['ms.yaml']!])).voip.turnUserLifetimeMs).toBe(90_000);
  });

  it('rejects a malformed turn URI, lifetime or user_directory key', async () => {
    const p = await files({ 'bad.yaml': 'server_name: x.org\nturn_uris: ["http://turn.x.org"]\nturn_user_lifetime: "1 hour"\nuser_directory: {search_everyone: true}\n' });
    const message = await loadConfig([p['bad.yaml']!]).then(
      () => '',
      (e: unknown) => (e as Error).message,
    );
    expect(message).toContain('key "turn_uris[0]" has value "http://turn.x.org"');
    expect(message).toContain('key "turn_user_lifetime" has value "1 hour"');
    expect(message).toContain('no key "search_everyone" here (unknown key)');
  });

  it('refuses update_user_directory_from_worker (no updater to place), naming it', async () => {
    const p = await files({ 'homeserver.yaml': 'server_name: x.org\nupdate_user_directory_from_worker: worker1\n' });
    await expect(loadConfig([p['homeserver.yaml']!])).rejects.toThrow(/key "update_user_directory_from_worker" is set: .*remove the key/);
  });

  it('reads outbound_federation_restricted_to, and refuses it on one process unless it names main', async () => {
    const p = await files({
      'workers.yaml': 'server_name: x.org\nworker_replication_secret: s\nnats: {servers: [nats://127.0.0.1:4222]}\noutbound_federation_restricted_to: [fed1, fed2]\n',
      'monolith-main.yaml': 'server_name: x.org\noutbound_federation_restricted_to: [main]\n',
      'monolith-worker.yaml': 'server_name: x.org\noutbound_federation_restricted_to: [fed1]\n',
    });
    expect((await loadConfig([p['workers.yaml']!])).federation.outboundRestrictedTo).toEqual(['fed1', 'fed2']);
    expect((await loadConfig([p['monolith-main.yaml']!])).federation.outboundRestrictedTo).toEqual(['main']);
    await expect(loadConfig([p['monolith-worker.yaml']!])).rejects.toThrow(/key "outbound_federation_restricted_to" names fed1, but this server runs as one process/);
  });

  it('names the key, the value and the expectation for a bad value', async () => {
    const p = await files({ 'bad.yaml': 'server_name: ok.example\nlisteners:\n  - port: "eighty"\n    type: ftp\n' });
    const error = await loadConfig([p['bad.yaml']!]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain('key "listeners[0].port" has value "eighty": expected integer');
    expect(message).toContain('key "listeners[0].type" has value "ftp": expected one of "http", "metrics"');
  });

  it('reports a missing server_name and unreadable or non-mapping files', async () => {
    const p = await files({ 'empty.yaml': 'listeners: []\n', 'list.yaml': '- a\n- b\n', 'broken.yaml': 'a: [\n' });
    await expect(loadConfig([p['empty.yaml']!])).rejects.toThrow(/missing required key\(s\) \["server_name"\]/);
    await expect(loadConfig([p['list.yaml']!])).rejects.toThrow(/must hold a mapping/);
    await expect(loadConfig([p['broken.yaml']!])).rejects.toThrow(/not valid YAML/);
    await expect(loadConfig(['/nonexistent/homeserver.yaml'])).rejects.toThrow(/cannot read config file/);
  });

  it('rejects worker setups that cannot work', async () => {
    const p = await files({
      'a.yaml': 'server_name: x.org\nworker_app: sync\n',
      'b.yaml': 'server_name: x.org\nworker_app: sync\nworker_name: s1\n',
      'c.yaml': 'server_name: x.org\nworker_app: teleporter\nworker_name: t\n',
    });
    await expect(loadConfig([p['a.yaml']!])).rejects.toThrow(/worker_name/);
    await expect(loadConfig([p['b.yaml']!])).rejects.toThrow(/needs "nats" or "redis"/);
    await expect(loadConfig([p['c.yaml']!])).rejects.toThrow(/"worker_app" has value "teleporter"/);
  });

  it('requires worker_replication_secret off the in-process transport, and one NATS credential at a time', async () => {
    const p = await files({
      'nosecret.yaml': 'server_name: x.org\nredis: {enabled: true, user: hs, password: pw}\n',
      'monolith.yaml': 'server_name: x.org\nworker_replication_secret: unused\n',
      'both.yaml': 'server_name: x.org\nworker_replication_secret: s\nnats: {token: t, nkey_seed: SUAM}\n',
      'nouser.yaml': 'server_name: x.org\nworker_replication_secret: s\nredis: {enabled: true, user: hs}\n',
      'redis.yaml': 'server_name: x.org\nworker_replication_secret: s\nredis: {enabled: true, user: hs, password: pw, port: 6380}\n',
      'creds.yaml': 'server_name: x.org\nworker_replication_secret: s\nnats: {creds_file: secrets/hs.creds}\n',
      'credsandtoken.yaml': 'server_name: x.org\nworker_replication_secret: s\nnats: {creds_file: a.creds, token: t}\n',
    });
    const creds = await loadConfig([p['creds.yaml']!]);
    expect(creds.transport).toMatchObject({ kind: 'nats', credsFile: join(creds.configDir, 'secrets/hs.creds') });
    await expect(loadConfig([p['credsandtoken.yaml']!])).rejects.toThrow(/keys "nats.token" and "nats.creds_file" are both set/);
    await expect(loadConfig([p['nosecret.yaml']!])).rejects.toThrow(/key "worker_replication_secret" is missing: with the redis transport/);
    expect((await loadConfig([p['monolith.yaml']!])).replicationSecret).toBeUndefined();
    await expect(loadConfig([p['both.yaml']!])).rejects.toThrow(/keys "nats.token" and "nats.nkey_seed" are both set/);
    await expect(loadConfig([p['nouser.yaml']!])).rejects.toThrow(/"redis.user" is set without "redis.password"/);
    expect((await loadConfig([p['redis.yaml']!])).transport).toEqual({ kind: 'redis', url: 'redis://127.0.0.1:6380/0', user: 'hs', password: 'pw' });
  });

  it('warns about keys it does not use instead of failing', async () => {
    const p = await files({ 'h.yaml': 'server_name: x.org\nreport_stats: false\n' });
    const warnings: string[] = [];
    await loadConfig([p['h.yaml']!], { warn: (m) => warnings.push(m) });
    expect(warnings).toEqual(['config key "report_stats" is not used by this homeserver; ignoring it']);
  });
});

describe('loadConfigWithDigest', () => {
  it('takes the validated contents instead of the files when they match the digest, and reads the files when they do not', async () => {
    const { 'homeserver.yaml': path } = await files({ 'homeserver.yaml': 'server_name: example.org\nnode_heap: {max_semi_space_size: 4}' });
    const first = await loadConfigWithDigest([path!]);
    expect(first.contents).toEqual({ server_name: 'example.org', node_heap: { max_semi_space_size: 4 } });
    // The file changed since: given contents that match the digest are what counts (not re-read).
    await writeFile(path!, 'server_name: changed.org');
    const again = await loadConfigWithDigest([path!], { validatedDigest: first.digest, validatedContents: first.contents });
    expect(again.config.serverName).toBe('example.org');
    expect(again.config.nodeHeap.maxSemiSpaceMiB).toBe(4);
    // Contents that do not match the digest are ignored: the file is read (and validated).
    const forged = await loadConfigWithDigest([path!], { validatedDigest: first.digest, validatedContents: { server_name: 'forged.org' } });
    expect(forged.config.serverName).toBe('changed.org');
  });
});

describe('parseCommandLine', () => {
  it('collects repeated -c/--config-path in order', () => {
    expect(parseCommandLine(['-c', 'a.yaml', '--config-path', 'b.yaml', '--config-path=c.yaml']).configPaths).toEqual(['a.yaml', 'b.yaml', 'c.yaml']);
  });
  it('rejects unknown arguments and a missing path', () => {
    expect(() => parseCommandLine(['--bogus'])).toThrow(/unknown argument/);
    expect(() => parseCommandLine(['-c'])).toThrow(/needs a file path/);
  });
});
