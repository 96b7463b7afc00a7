// Subscribe narrowly (ARCHITECTURE.md principle 6): a pusher worker's NATS connection holds
// subscriptions on the streams the pusher consumes (the events stream's push view, receipts) and
// on none of the streams it has no use for (typing, presence, to_device, device_lists, nor the
// whole events stream: only events that produced push actions), so the bus never sends it those
// rows. nats-server's /connz lists each connection's subscriptions by connection name
// (`<worker_app>:<worker_name>`); main, which hosts sync and so reads typing, is the control.
import { freePort, startNatsServer, startWorkerCluster, type WorkerCluster } from '@homeserver/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

interface Connz {
  readonly connections: readonly { readonly name?: string; readonly subscriptions_list?: readonly string[] }[];
}

async function subjectsOf(monitor: string, name: string): Promise<readonly string[]> {
  const connz = (await (await fetch(`${monitor}/connz?subs=1&limit=1000`)).json()) as Connz;
  return connz.connections.filter((c) => c.name === name).flatMap((c) => c.subscriptions_list ?? []);
}

const streamSubscriptions = (subjects: readonly string[], stream: string) => subjects.filter((s) => s.endsWith(`repl.${stream}`));

describe('a pusher worker subscribes only to the streams it consumes', () => {
  let cluster: WorkerCluster;
  let monitor: string;

  beforeAll(async () => {
    const monitorPort = await freePort();
    monitor = `http://127.0.0.1:${monitorPort}`;
    cluster = await startWorkerCluster({ workerApp: 'pusher', workerNames: ['pusher1'], config: { pusher_instances: ['pusher1'] }, nats: await startNatsServer({ monitorPort }) });
  }, 240_000);

  afterAll(async () => {
    await cluster?.stop();
  });

  it("holds one subscription to the events stream's push view and one to receipts, none to the whole events stream, typing, presence, to_device or device_lists", async () => {
    const pusher = await subjectsOf(monitor, 'pusher:pusher1');
    // Exactly one each, though the pusher holds every one of its shards: the shards of a consumer
    // follow one subscription (a reader per shard would receive each advance once per shard).
    expect(streamSubscriptions(pusher, 'events.view.push')).toHaveLength(1);
    expect(streamSubscriptions(pusher, 'events')).toEqual([]);
    expect(streamSubscriptions(pusher, 'receipts')).toHaveLength(1);
    for (const stream of ['typing', 'presence', 'to_device', 'device_lists']) expect(streamSubscriptions(pusher, stream), stream).toEqual([]);
  });

  it('while main, which serves /sync, does subscribe to typing and the whole events stream (the check sees such subjects)', async () => {
    expect(streamSubscriptions(await subjectsOf(monitor, 'main:main'), 'typing')).not.toEqual([]);
    expect(streamSubscriptions(await subjectsOf(monitor, 'main:main'), 'events')).not.toEqual([]);
  });
});
