// Start-up memory of every app: one instance of each (main, event persister, sync, federation
// reader, federation sender, pusher, media) as workers on PostgreSQL over NATS, no load at all;
// after --settle-seconds prints per process its RSS and what V8's heap holds (used / total, from
// its /metrics), so what an app pays just to exist is read in one quick run.
//
//   npx node tools/bench/src/startup-rss-bench.ts [--settle-seconds=10] [--transport=nats|redis] [--node-args="..."]
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { startCluster, type ClusterTransport } from './cluster/cluster.ts';

const { values } = parseArgs({
  options: {
    'settle-seconds': { type: 'string', default: '10' },
    transport: { type: 'string', default: 'nats' },
    'node-args': { type: 'string', default: '' },
  },
});
const settleSeconds = Number(values['settle-seconds']);
if (!(settleSeconds >= 0)) throw new Error(`--settle-seconds must be a number of seconds, got ${JSON.stringify(values['settle-seconds'])}`);
const transport = values.transport as ClusterTransport;
if (transport !== 'nats' && transport !== 'redis') throw new Error(`--transport must be nats or redis, got ${JSON.stringify(values.transport)}`);

const out = (line: string) => process.stdout.write(`${line}\n`);
const loadAverage = () => loadavg().map((l) => l.toFixed(2)).join(' ');
const MiB = (bytes: number | undefined) => (bytes === undefined ? '   -' : (bytes / 1048576).toFixed(0).padStart(4));

/** One gauge of a Prometheus text exposition (its first sample), or undefined. */
function gauge(text: string, name: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

out(`start-up RSS: one instance of every app on PostgreSQL over ${transport}, read ${settleSeconds} s after the last started; load average at start ${loadAverage()}`);
const cluster = await startCluster({
  transport,
  persisters: 1,
  syncs: 1,
  poolSize: 4,
  extraWorkers: [
    { name: 'fedreader1', app: 'federation-reader' },
    { name: 'fedsender1', app: 'federation-sender' },
    { name: 'pusher1', app: 'pusher' },
    { name: 'media1', app: 'media' },
  ],
  extraConfig: { federation_sender_instances: ['fedsender1'], pusher_instances: ['pusher1'], media_instance_running_background_jobs: 'media1', enable_media_repo: false },
  nodeArgs: values['node-args'].split(' ').filter((a) => a !== ''),
});
try {
  await new Promise((resolve) => setTimeout(resolve, settleSeconds * 1000));
  out(`${'process'.padEnd(12)}${'app'.padEnd(19)}RSS MiB  V8 heap used / total MiB  external MiB`);
  let total = 0;
  for (const p of cluster.processes) {
    const rss = await p.rssMiB();
    total += rss;
    const metrics = await fetch(`http://127.0.0.1:${p.port}/metrics`).then((r) => r.text(), () => '');
    const heap = `${MiB(gauge(metrics, 'nodejs_heap_size_used_bytes'))} / ${MiB(gauge(metrics, 'nodejs_heap_size_total_bytes'))}`;
    out(`${p.name.padEnd(12)}${p.app.padEnd(19)}${rss.toFixed(0).padStart(7)}  ${heap.padEnd(25)}${MiB(gauge(metrics, 'nodejs_external_memory_bytes')).padStart(12)}`);
  }
  out(`${'all'.padEnd(31)}${total.toFixed(0).padStart(7)}  load average ${loadAverage()}`);
} finally {
  await cluster.stop();
}
