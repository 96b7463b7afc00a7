// Which roles a process hosts. A worker hosts its own role. `main` hosts `main`, the
// unsharded roles (it serves every endpoint not routed to a worker, as Synapse's main does;
// media unless enable_media_repo is false), and each sharded role whose configured instances
// include it — in the monolith, all of them.
import type { HomeserverConfig, RoleName } from '@homeserver/config';

type ShardedRole = 'event-persister' | 'federation-sender' | 'pusher';

export function hostedRoles(config: HomeserverConfig): RoleName[] {
  if (config.workerApp !== 'main') return [config.workerApp];
  const hosts = (role: ShardedRole) => config.instances[role].includes(config.workerName);
  const roles: RoleName[] = hosts('event-persister') ? ['event-persister'] : [];
  // Stream writers (event-persister, main) start before the readers (sync, and the consumers
  // federation-sender and pusher), which ask each writer for its position as they start; asked
  // too early, they log that no one answered.
  roles.push('main', 'federation-reader', ...(config.enableMediaRepo ? (['media'] as const) : []), 'sync');
  for (const role of ['federation-sender', 'pusher'] as const) if (hosts(role)) roles.push(role);
  return roles;
}
