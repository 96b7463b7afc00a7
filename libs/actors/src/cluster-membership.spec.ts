import { InProcessHub, InProcessTransport } from '@homeserver/transport';
import { afterEach, describe, expect, it } from 'vitest';
import { ActorSystem } from './actor-system.ts';
import { ProcessHeartbeat } from '@homeserver/protocol';
import { ClusterMembership, HEARTBEAT_SUBJECT, type ClusterChange, type MemberReport } from './cluster-membership.ts';
import { defineActor } from './define-actor.ts';
import { LivePlacement } from './live-placement.ts';
import { sleep } from './test-actors.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const idle: MemberReport = { roles: [], hostedKinds: [], streamWriters: [], streamReaders: [], actorKinds: [] };

async function member(hub: InProcessHub, workerName: string, report: Partial<MemberReport> = {}, options: { intervalMs?: number; fullReportEveryMs?: number } = {}) {
  const transport = new InProcessTransport({ hub });
  let current: MemberReport = { ...idle, ...report };
  const membership = await ClusterMembership.start(transport, {
    workerName,
    workerApp: 'test',
    version: '1.2.3',
    report: () => current,
    intervalMs: options.intervalMs ?? 50,
    settleMs: 20,
    ...(options.fullReportEveryMs === undefined ? {} : { fullReportEveryMs: options.fullReportEveryMs }),
  });
  cleanups.push(async () => {
    await membership.stop();
    await transport.close();
  });
  return { membership, transport, set: (next: Partial<MemberReport>) => (current = { ...current, ...next }) };
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await sleep(5);
}

describe('ClusterMembership', () => {
  it('gives a newcomer the whole live view after its hello, with what each member reports', async () => {
    const hub = new InProcessHub();
    await member(hub, 'main', { roles: ['main'], streamWriters: [{ stream: 'typing', position: 7 }] }, { intervalMs: 60_000 });
    await member(hub, 'persister1', { roles: ['event-persister'], hostedKinds: ['room'], actorKinds: [{ kind: 'room', actors: 3, queued: 1 }] }, { intervalMs: 60_000 });
    // Heartbeats are a minute apart: only the answers to its hello can tell the newcomer.
    const { membership } = await member(hub, 'sync1', { roles: ['sync'], streamReaders: [{ stream: 'events', ready: true, writers: [{ writer: 'persister1', position: 4, latest: 9 }] }] });
    await until(() => membership.members().length === 3);
    expect(membership.members().map((m) => m.workerName)).toEqual(['main', 'persister1', 'sync1']);
    const persister = membership.member('persister1')!;
    expect(persister).toMatchObject({ workerApp: 'test', version: '1.2.3', roles: ['event-persister'], hostedKinds: ['room'], actorKinds: [{ kind: 'room', actors: 3, queued: 1 }] });
    expect(membership.member('main')!.streamWriters).toEqual([{ stream: 'typing', position: 7 }]);
    expect(membership.member('sync1')!.streamReaders[0]!.writers).toEqual([{ writer: 'persister1', position: 4, latest: 9 }]);
    expect(membership.hostsOf('room')).toEqual(['persister1']);
    expect(membership.withRole('sync')).toEqual(['sync1']);
  });

  it('drops a member at once when it leaves, and after its heartbeats stop when it dies', async () => {
    const hub = new InProcessHub();
    const { membership } = await member(hub, 'main');
    const changes: ClusterChange[] = [];
    membership.onChange((change) => changes.push(change));
    const leaver = await member(hub, 'persister1', { hostedKinds: ['room'] });
    const dier = await member(hub, 'persister2', { hostedKinds: ['room'] });
    await until(() => membership.hostsOf('room').length === 2);
    await leaver.membership.stop();
    expect(membership.isLive('persister1')).toBe(false);
    expect(changes).toContainEqual({ joined: [], left: ['persister1'], changed: [] });
    // A crash: no leaving heartbeat, the transport just goes quiet.
    await dier.transport.close();
    await until(() => !membership.isLive('persister2'));
    expect(membership.hostsOf('room')).toEqual([]);
    expect(changes.filter((c) => c.left.includes('persister2'))).toHaveLength(1);
  });

  it('reports a change of hosted kinds, and who joined', async () => {
    const hub = new InProcessHub();
    const { membership } = await member(hub, 'main');
    const changes: ClusterChange[] = [];
    membership.onChange((change) => changes.push(change));
    const other = await member(hub, 'sync1');
    expect(changes).toContainEqual({ joined: ['sync1'], left: [], changed: [] });
    other.set({ hostedKinds: ['presence'] });
    await other.membership.announce();
    await until(() => membership.hostsOf('presence').length === 1);
    expect(changes).toContainEqual({ joined: [], left: [], changed: ['sync1'] });
  });
});

/** Every heartbeat on the bus, decoded, as a listener that is no member sees them. */
async function tap(hub: InProcessHub) {
  const transport = new InProcessTransport({ hub });
  const heard: ReturnType<typeof ProcessHeartbeat.decode>[] = [];
  await transport.subscribe(HEARTBEAT_SUBJECT, (message) => void heard.push(ProcessHeartbeat.decode(message.payload)));
  cleanups.push(() => transport.close());
  return { transport, heard, from: (name: string) => heard.filter((h) => h.workerName === name) };
}

describe('ClusterMembership beats', () => {
  it('sends its full report once, then small beats while nothing changed, and a changed report to the others', async () => {
    const hub = new InProcessHub();
    const bus = await tap(hub);
    const { membership } = await member(hub, 'main');
    const other = await member(hub, 'persister1', { roles: ['event-persister'], streamWriters: [{ stream: 'events', position: 4 }] }, { intervalMs: 20, fullReportEveryMs: 100 });
    await until(() => bus.from('persister1').length >= 6);
    const [first, ...rest] = bus.from('persister1');
    expect(first).toMatchObject({ hello: true, beat: false, streamWriters: [{ stream: 'events' }] });
    // Unchanged: every later heartbeat is a beat without figures, naming the same report.
    for (const beat of rest) expect(beat).toMatchObject({ beat: true, streamWriters: [], streamReaders: [], actorKinds: [], roles: ['event-persister'], reportVersion: first!.reportVersion });
    expect(membership.member('persister1')!.streamWriters).toEqual([{ stream: 'events', position: 4 }]);

    // Moving figures reach the others with the next full report.
    other.set({ streamWriters: [{ stream: 'events', position: 9 }] });
    await until(() => membership.member('persister1')?.streamWriters[0]?.position === 9);
    // Roles and hosted kinds (what placement reads) reach them at the next beat.
    other.set({ hostedKinds: ['room'] });
    await until(() => membership.hostsOf('room').length === 1);
    const fulls = bus.from('persister1').filter((h) => !h.beat);
    expect(fulls.map((h) => Number(h.reportVersion))).toEqual([...new Set(fulls.map((h) => Number(h.reportVersion)))].sort((a, b) => a - b));
  });

  it('asks a member for a report it missed, and the member sends it again', async () => {
    const hub = new InProcessHub();
    const bus = await tap(hub);
    // A minute between beats: only the ask can bring persister1's full report.
    await member(hub, 'persister1', { roles: ['event-persister'], actorKinds: [{ kind: 'room', actors: 2, queued: 0 }] }, { intervalMs: 60_000 });
    const fullsBefore = bus.from('persister1').filter((h) => !h.beat).length;
    // A beat from a member nobody has a report of: persister1 asks it for its report.
    await bus.transport.publish(HEARTBEAT_SUBJECT, ProcessHeartbeat.encode({ workerName: 'ghost', incarnation: 'g1', intervalMs: 60_000, beat: true, reportVersion: 3 }).finish());
    await until(() => bus.from('persister1').some((h) => h.wanted.includes('ghost')));
    // Someone names persister1 in `wanted`: it sends its full report at once.
    await bus.transport.publish(HEARTBEAT_SUBJECT, ProcessHeartbeat.encode({ workerName: 'ghost', incarnation: 'g1', intervalMs: 60_000, beat: true, reportVersion: 3, wanted: ['persister1'] }).finish());
    await until(() => bus.from('persister1').filter((h) => !h.beat).length > fullsBefore);
    expect(bus.from('persister1').filter((h) => !h.beat).at(-1)).toMatchObject({ actorKinds: [{ kind: 'room' }] });
  });

  it('keeps a member that only beats live, and drops it once the beats stop', async () => {
    const hub = new InProcessHub();
    const { membership } = await member(hub, 'main');
    const quiet = await member(hub, 'pusher1', { roles: ['pusher'] }, { intervalMs: 30 });
    await until(() => membership.withRole('pusher').length === 1);
    const seen = membership.member('pusher1')!.lastSeenMs;
    // Beats alone move its last-seen time on.
    await until(() => (membership.member('pusher1')?.lastSeenMs ?? 0) > seen);
    await quiet.transport.close();
    await until(() => !membership.isLive('pusher1'));
    expect(membership.withRole('pusher')).toEqual([]);
  });
});

describe('LivePlacement with ActorSystem.rebalance', () => {
  const released: string[] = [];
  const room = defineActor('room', {
    create: (key, context) => ({ where: () => context.instance, key: () => key }),
    release: (_actor, key) => void released.push(key),
  });

  async function instance(hub: InProcessHub, name: string, hosts: boolean) {
    const { membership, transport } = await member(hub, name, { hostedKinds: hosts ? ['room'] : [] });
    const placement = new LivePlacement(membership, { configured: { room: ['p1'] } });
    const system = new ActorSystem({ instance: name, placement, transport });
    if (hosts) system.host(room);
    placement.onChange(() => void system.rebalance());
    await system.start();
    cleanups.push(() => system.stop());
    return { membership, system, client: system.client(room) };
  }

  it('places over the configured list until a host is live, then over live hosts; a joiner takes keys, and the old owner releases them', async () => {
    released.length = 0;
    const hub = new InProcessHub();
    const edge = await instance(hub, 'main', false);
    const keys = Array.from({ length: 40 }, (_, i) => `!r${i}:hs`);
    // Nothing hosts rooms yet: the configured p1, which does not answer.
    await expect(edge.client.ask(keys[0]!, 'where', undefined, { timeoutMs: 200 })).rejects.toThrow();
    const p1 = await instance(hub, 'p1', true);
    await until(() => edge.membership.hostsOf('room').length === 1);
    for (const key of keys) expect((await edge.client.ask(key, 'where', undefined)).value).toBe('p1');
    expect(p1.system.metrics()[0]!.actors).toBe(40);

    await instance(hub, 'p2', true);
    await until(() => edge.membership.hostsOf('room').length === 2 && p1.membership.hostsOf('room').length === 2);
    await until(() => released.length > 0 && p1.system.metrics()[0]!.actors === 40 - released.length);
    const moved = keys.filter((key) => released.includes(key));
    expect(moved.length).toBeGreaterThan(5);
    expect(moved.length).toBeLessThan(35);
    for (const key of keys) expect((await edge.client.ask(key, 'where', undefined)).value).toBe(moved.includes(key) ? 'p2' : 'p1');
  });

  it('a leaving host releases its keys to the survivors', async () => {
    released.length = 0;
    const hub = new InProcessHub();
    const edge = await instance(hub, 'main', false);
    const p1 = await instance(hub, 'p1', true);
    await instance(hub, 'p2', true);
    await until(() => edge.membership.hostsOf('room').length === 2);
    const keys = Array.from({ length: 20 }, (_, i) => `!r${i}:hs`);
    const before = await Promise.all(keys.map(async (key) => (await edge.client.ask(key, 'where', undefined)).value));
    await p1.membership.leave();
    const onP1 = keys.filter((_, i) => before[i] === 'p1');
    await until(() => released.length === onP1.length);
    expect(released.sort()).toEqual(onP1.sort());
    for (const key of keys) expect((await edge.client.ask(key, 'where', undefined)).value).toBe('p2');
  });
});
