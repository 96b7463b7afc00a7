// Which roles a process hosts. A worker hosts its own role. `main` hosts `main`, the
// unsharded roles (it serves every endpoint not routed to a worker, as Synapse's main does),
// and each sharded role whose configured instances include it — in the monolith, all of them.
import type { HomeserverConfig, RoleName } from '@homeserver/config';

const SHARDED = ['event-persister', 'federation-sender', 'pusher'] as const;

export function hostedRoles(config: HomeserverConfig): RoleName[] {
  if (config.workerApp !== 'main') return [config.workerApp];
  const roles: RoleName[] = [];
  for (const role of SHARDED) {
    if (config.instances[role].includes(config.workerName)) roles.push(role);
  }
  // Stream writers (event-persister, main) start before the readers (sync), which ask each
  // writer for its position as they start; asked too early, they log that no one answered.
  roles.push('main', 'federation-reader', 'media', 'sync');
  return roles;
}
