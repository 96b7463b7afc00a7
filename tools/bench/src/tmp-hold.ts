import { existsSync, writeFileSync } from 'node:fs';
import { startCluster } from './cluster/cluster.ts';
const cluster = await startCluster({
  transport: 'nats', persisters: 1, syncs: 1, poolSize: 4,
  extraWorkers: [{ name: 'pusher1', app: 'pusher' }],
  extraConfig: { pusher_instances: ['pusher1'] },
  nodeArgs: ['--heapsnapshot-signal=SIGUSR2'],
});
writeFileSync('/work/bench/hold.pids', cluster.processes.map((p) => `${p.name} ${p.pid} ${p.port}`).join('\n'));
while (!existsSync('/work/bench/hold.stop')) await new Promise((r) => setTimeout(r, 500));
await cluster.stop();
