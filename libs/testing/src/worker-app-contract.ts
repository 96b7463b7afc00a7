// The process contract of a worker app (every app but main), shared by their tests: on real
// PostgreSQL and a test-spawned NATS it serves health/readiness/metrics and drains on SIGTERM;
// without a worker_name or with the in-process transport it refuses to start.
import { describe } from 'vitest';
import { itRejectsBadConfig, itServesHealthAndDrains, writeConfigFiles } from './app-process-contract.ts';
import { useWorkerServices } from './worker-services.ts';

/** Refuses configs a worker cannot run with (unit-level: no services needed). */
export function describeWorkerAppConfigChecks(app: string): void {
  describe(`${app} app process`, () => {
    itRejectsBadConfig(app, { 'homeserver.yaml': 'server_name: x.org\n', 'worker.yaml': `worker_app: ${app}\n` }, /"worker_name" is missing/);
    itRejectsBadConfig(app, { 'homeserver.yaml': 'server_name: x.org\n', 'worker.yaml': `worker_app: ${app}\nworker_name: w1\n` }, /needs "nats" or "redis"/);
    itRejectsBadConfig(app, { 'homeserver.yaml': 'server_name: x.org\nnats: {}\n', 'worker.yaml': `worker_app: ${app}\nworker_name: w1\n` }, /key "worker_replication_secret" is missing/);
  });
}

/**
 * Runs the app as a worker on real PostgreSQL and NATS (integration-level). `shared` adds
 * homeserver.yaml lines (e.g. `pusher_instances: [pusher1]` for a sharded role's worker).
 */
export function describeWorkerAppProcess(app: string, options: { shared?: string } = {}): void {
  const services = useWorkerServices();
  describe(`${app} worker process`, () => {
    itServesHealthAndDrains(app, async () => {
      const paths = await writeConfigFiles({
        'homeserver.yaml': `server_name: test.local\n${services.databaseYaml()}${services.natsYaml()}worker_replication_secret: worker-app-test\n${options.shared ?? ''}`,
        'worker.yaml': `worker_app: ${app}\nworker_name: ${app}1\nworker_listeners: [{port: 0, type: http, resources: [{names: [health, metrics]}]}]\n`,
      });
      return [paths['homeserver.yaml']!, paths['worker.yaml']!];
    }, `${app}1`);
  });
}
