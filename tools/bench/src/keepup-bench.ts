// Keep-up benchmark: what each process of a worker deployment costs to follow a steady load.
// Starts main, 1 sync worker clients use, 2 event persisters, one idle instance of every other
// app (federation reader, federation sender, pusher, media) and one more sync worker no client
// reaches, on PostgreSQL over NATS or Redis behind nginx; sends --rate messages a second for
// --seconds into --rooms rooms (one user per room long-polling /sync), and prints per process
// the CPU (% of a core, from /proc utime+stime, idle and under load), RSS idle and after the load,
// and the largest stream lag it reported. --synapse runs the same topology and load on Synapse
// workers (PostgreSQL, Redis) in the same run and prints its figures beside ours.
//
//   npx node tools/bench/src/keepup-bench.ts [--transport=nats|redis|both] [--rate=40] [--seconds=60]
//     [--rooms=10] [--idle-seconds=15] [--settle-seconds=10] [--synapse] [--node-args="--max-semi-space-size=1"]
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { startCluster, type ClusterTransport } from './cluster/cluster.ts';
import type { BenchCluster } from './keepup/bench-cluster.ts';
import { measureKeepUp, type KeepUpResult } from './keepup/keep-up-load.ts';
import { startSynapseCluster } from './keepup/synapse-cluster.ts';

const { values } = parseArgs({
  options: {
    transport: { type: 'string', default: 'nats' },
    rate: { type: 'string', default: '40' },
    seconds: { type: 'string', default: '60' },
    rooms: { type: 'string', default: '10' },
    'idle-seconds': { type: 'string', default: '15' },
    'settle-seconds': { type: 'string', default: '10' },
    synapse: { type: 'boolean', default: false },
    'node-args': { type: 'string', default: '' },
  },
});
const transports: ClusterTransport[] = values.transport === 'both' ? ['nats', 'redis'] : [values.transport as ClusterTransport];
for (const t of transports) if (t !== 'nats' && t !== 'redis') throw new Error(`--transport must be nats, redis or both, got ${JSON.stringify(values.transport)}`);
const load = { rate: Number(values.rate), seconds: Number(values.seconds), rooms: Number(values.rooms), idleSeconds: Number(values['idle-seconds']), settleSeconds: Number(values['settle-seconds']) };
for (const [key, value] of Object.entries(load)) if (!(value > 0)) throw new Error(`--${key} must be a positive number, got ${value}`);

const out = (line: string) => process.stdout.write(`${line}\n`);
const IDLE_APPS = [
  { name: 'fedreader1', app: 'federation-reader' },
  { name: 'fedsender1', app: 'federation-sender' },
  { name: 'pusher1', app: 'pusher' },
  { name: 'media1', app: 'media' },
];

async function ourCluster(transport: ClusterTransport): Promise<BenchCluster> {
  const cluster = await startCluster({
    transport,
    persisters: 2,
    syncs: 1,
    // Nine processes and other users share the server's max_connections: a keep-up load needs few.
    poolSize: 4,
    extraWorkers: [...IDLE_APPS, { name: 'sync2', app: 'sync', unrouted: true }],
    extraConfig: { federation_sender_instances: ['fedsender1'], pusher_instances: ['pusher1'], media_instance_running_background_jobs: 'media1', enable_media_repo: false },
    nodeArgs: values['node-args'].split(' ').filter((a) => a !== ''),
  });
  return {
    label: `this server, workers on PostgreSQL over ${transport}`,
    baseUrl: cluster.baseUrl,
    processes: cluster.processes.map((p) => ({ name: p.name, app: p.app, pid: p.pid, metricsUrl: `http://127.0.0.1:${p.port}/metrics` })),
    stop: () => cluster.stop(),
  };
}

async function run(label: string, start: () => Promise<BenchCluster>): Promise<{ key: string; result: KeepUpResult }> {
  out(`\n== ${label}: starting ==`);
  const cluster = await start();
  try {
    const result = await measureKeepUp(cluster, { ...load, tag: label.replace(/\W+/g, '').slice(0, 12) + Date.now().toString(36) });
    out(`${cluster.label}: ${result.sent} messages in ${result.seconds.toFixed(1)} s (${(result.sent / result.seconds).toFixed(1)} msg/s), ${result.failed} failed, ${result.pollErrors} long-poll errors; whole cluster ${result.cpuMsPerMessage.toFixed(1)} ms CPU per message; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    if (result.failed > 0) out(`  first failed send: ${result.firstFailure.slice(0, 300)}`);
    for (const p of result.processes) {
      out(`  ${p.name.padEnd(11)} ${p.app.padEnd(18)} CPU idle ${p.idleCpu.toFixed(2).padStart(5)}%  load ${p.loadCpu.toFixed(2).padStart(6)}%  RSS idle ${p.rssIdleMiB.toFixed(0).padStart(4)} MiB  after ${p.rssAfterMiB.toFixed(0).padStart(4)} MiB  max lag ${p.maxLag ?? '-'}`);
    }
    return { key: label, result };
  } finally {
    await cluster.stop();
  }
}

out(`keep-up: ${load.rate} msg/s for ${load.seconds} s into ${load.rooms} rooms, idle window ${load.idleSeconds} s after ${load.settleSeconds} s to settle; load average at start ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
const runs = [];
for (const transport of transports) runs.push(await run(transport, () => ourCluster(transport)));
if (values.synapse) runs.push(await run('synapse', () => startSynapseCluster({ persisters: 2, syncs: 2 })));

// Side by side: one line per process name, load CPU % and RSS idle -> after for each deployment.
out(`\n== side by side (CPU % of a core under load | RSS idle -> after, MiB) ==`);
out(`${'process'.padEnd(12)}${runs.map((r) => r.key.padEnd(36)).join('')}`);
const names = [...new Set(runs.flatMap((r) => r.result.processes.map((p) => p.name)))];
for (const name of names) {
  const cells = runs.map((r) => {
    const p = r.result.processes.find((q) => q.name === name);
    return (p === undefined ? '-' : `${p.loadCpu.toFixed(2)}% | ${p.rssIdleMiB.toFixed(0)} -> ${p.rssAfterMiB.toFixed(0)}`).padEnd(36);
  });
  out(`${name.padEnd(12)}${cells.join('')}`);
}
out(`${'CPU/message'.padEnd(12)}${runs.map((r) => `${r.result.cpuMsPerMessage.toFixed(1)} ms`.padEnd(36)).join('')}`);
