// The process's transport as the config describes it: credentials for the NATS or Redis server,
// and, whenever messages leave the process, every frame authenticated under
// worker_replication_secret with refusals counted in replication_messages_rejected_total.
import { access, constants } from 'node:fs/promises';
import { ConfigError, type HomeserverConfig } from '@homeserver/config';
import type { ProcessMetrics } from '@homeserver/http';
import { authenticateTransport, createTransport, type Transport, type TransportConfig, type TransportLogger } from '@homeserver/transport';

export function transportConfigOf(config: HomeserverConfig, logger: TransportLogger): TransportConfig {
  const t = config.transport;
  const name = `${config.workerApp}:${config.workerName}`;
  if (t.kind === 'nats') {
    return { kind: 'nats', servers: t.servers, user: t.user, pass: t.password, token: t.token, nkeySeed: t.nkeySeed, credsFile: t.credsFile, prefix: t.prefix, name, logger };
  }
  if (t.kind === 'redis') return { kind: 'redis', url: t.url, username: t.user, password: t.password, name, logger };
  return { kind: 'in-process' };
}

export async function openReplicationTransport(config: HomeserverConfig, deps: { logger: TransportLogger; metrics: ProcessMetrics }): Promise<Transport> {
  const t = config.transport;
  if (t.kind === 'nats' && t.credsFile !== undefined) {
    try {
      await access(t.credsFile, constants.R_OK);
    } catch (error) {
      throw new ConfigError(`key "nats.creds_file" has value ${JSON.stringify(t.credsFile)}: the file cannot be read (${(error as Error).message})`);
    }
  }
  const inner = await createTransport(transportConfigOf(config, deps.logger));
  const secret = config.replicationSecret;
  // resolveConfig requires the secret for every transport but in-process, whose frames never leave the process.
  if (secret === undefined) return inner;
  return authenticateTransport(inner, {
    secret,
    logger: deps.logger,
    onRejected: (reason) => deps.metrics.replicationRejected.inc({ reason }),
  });
}
