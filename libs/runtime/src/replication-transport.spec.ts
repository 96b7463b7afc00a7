import { resolveConfig } from '@homeserver/config';
import { createProcessMetrics } from '@homeserver/http';
import { describe, expect, it } from 'vitest';
import { openReplicationTransport, transportConfigOf } from './replication-transport.ts';

const logger = { warn() {} };
const metrics = createProcessMetrics({ workerName: 'main', workerApp: 'main' });

describe('openReplicationTransport', () => {
  it('names nats.creds_file when the file cannot be read, before connecting anywhere', async () => {
    const config = resolveConfig({ server_name: 'x.org', worker_replication_secret: 's', nats: { servers: ['nats://127.0.0.1:1'], creds_file: 'missing.creds' } }, { configDir: '/nonexistent' });
    await expect(openReplicationTransport(config, { logger, metrics })).rejects.toThrow(/key "nats.creds_file" has value "\/nonexistent\/missing.creds": the file cannot be read/);
  });

  it('passes each credential to its adapter', () => {
    const nats = resolveConfig({ server_name: 'x.org', worker_replication_secret: 's', nats: { user: 'u', password: 'p', subject_prefix: 'hs2' } }, { configDir: '/etc/hs' });
    expect(transportConfigOf(nats, logger)).toMatchObject({ kind: 'nats', user: 'u', pass: 'p', prefix: 'hs2', name: 'main:main' });
    const redis = resolveConfig({ server_name: 'x.org', worker_replication_secret: 's', redis: { enabled: true, user: 'u', password: 'p' } }, { configDir: '/etc/hs' });
    expect(transportConfigOf(redis, logger)).toMatchObject({ kind: 'redis', username: 'u', password: 'p' });
  });

  it('leaves the in-process transport unauthenticated (nothing leaves the process)', async () => {
    const config = resolveConfig({ server_name: 'x.org', worker_replication_secret: 'ignored' }, { configDir: '/etc/hs' });
    expect(config.replicationSecret).toBeUndefined();
    const transport = await openReplicationTransport(config, { logger, metrics });
    expect(transport.kind).toBe('in-process');
    await transport.close();
  });
});
