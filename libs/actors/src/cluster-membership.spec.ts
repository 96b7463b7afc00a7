import { InProcessHub, InProcessTransport } from '@homeserver/transport';
import { afterEach, describe, expect, it } from 'vitest';
import { ActorSystem } from './actor-system.ts';
import { ClusterViewMessage, ProcessHeartbeat } from '@homeserver/protocol';
import { ClusterMembership, HEARTBEAT_SUBJECT, VIEW_SUBJECT } from './cluster-membership.ts';
import type { ClusterChange, MemberReport } from './cluster-view.ts';
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

/** Every heartbeat and view on the bus, decoded, as a listener that is no member sees them. */
async function tap(hub: InProcessHub) {
  const transport = new InProcessTransport({ hub });
  const heard: ReturnType<typeof ProcessHeartbeat.decode>[] = [];
  const views: ReturnType<typeof ClusterViewMessage.decode>[] = [];
  await transport.subscribe(HEARTBEAT_SUBJECT, (message) => void heard.push(ProcessHeartbeat.decode(message.payload)));
  await transport.subscribe(VIEW_SUBJECT, (message) => void views.push(ClusterViewMessage.decode(message.payload)));
  cleanups.push(() => transport.close());
  return { transport, heard, views, from: (name: string) => heard.filter((h) => h.workerName === name) };
}

describe('ClusterMembership relay', () => {
  it('has one relay; when it dies without leaving, every follower drops it and the next in relay order takes over, and still drops the dead', async () => {
    const hub = new InProcessHub();
    const main = await member(hub, 'main', { roles: ['main'] }, { intervalMs: 100 });
    const p1 = await member(hub, 'persister1', { roles: ['event-persister'], hostedKinds: ['room'] }, { intervalMs: 100 });
    const sync1 = await member(hub, 'sync1', { roles: ['sync'] }, { intervalMs: 100 });
    const sync2 = await member(hub, 'sync2', { roles: ['sync'] }, { intervalMs: 100 });
    const all = [main, p1, sync1, sync2];
    // `main` relays though `persister1` sorts first by name; the others only follow its views.
    await until(() => all.every((m) => m.membership.members().length === 4 && m.membership.relaying === (m === main)));

    await main.transport.close();
    const survivors = [p1, sync1, sync2];
    await until(() => survivors.every((m) => !m.membership.isLive('main') && m.membership.relaying === (m === p1)));
    for (const m of survivors) expect(m.membership.members().map((x) => x.workerName)).toEqual(['persister1', 'sync1', 'sync2']);

    // The new relay hears the heartbeats: a follower killed now drops out of everyone's view.
    await sync1.transport.close();
    await until(() => [p1, sync2].every((m) => !m.membership.isLive('sync1')));
    expect(sync2.membership.members().map((x) => x.workerName)).toEqual(['persister1', 'sync2']);
    expect(sync2.membership.hostsOf('room')).toEqual(['persister1']);
  });

  it('a leaving relay drops out at once and hands over; a newcomer gets the whole view from the new relay', async () => {
    const hub = new InProcessHub();
    const main = await member(hub, 'main', { roles: ['main'] }, { intervalMs: 60_000 });
    const p1 = await member(hub, 'persister1', { hostedKinds: ['room'], actorKinds: [{ kind: 'room', actors: 5, queued: 0 }] }, { intervalMs: 60_000 });
    const sync1 = await member(hub, 'sync1', {}, { intervalMs: 60_000 });
    await until(() => sync1.membership.members().length === 3);
    // Heartbeats a minute apart: only the leaving view and the takeover can tell.
    await main.membership.stop();
    await until(() => !sync1.membership.isLive('main') && !p1.membership.isLive('main'));
    await until(() => p1.membership.relaying);
    const newcomer = await member(hub, 'sync2', {}, { intervalMs: 60_000 });
    await until(() => newcomer.membership.members().length === 3);
    expect(newcomer.membership.member('persister1')!.actorKinds).toEqual([{ kind: 'room', actors: 5, queued: 0 }]);
    expect(newcomer.membership.relaying).toBe(false);
  });
});

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
    // Each full report numbers a report at least as new as the one before (a report is sent
    // again only when the relay asks for it).
    const versions = bus.from('persister1').filter((h) => !h.beat).map((h) => Number(h.reportVersion));
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(new Set(versions).size).toBeGreaterThanOrEqual(3);
  });

  it('asks for a report nobody has: the relay names the member in its view, and passes the report on at once', async () => {
    const hub = new InProcessHub();
    const bus = await tap(hub);
    // A minute between beats: only the asks can bring the reports.
    const relay = await member(hub, 'main', {}, { intervalMs: 60_000 });
    const follower = await member(hub, 'persister1', { roles: ['event-persister'], actorKinds: [{ kind: 'room', actors: 2, queued: 0 }] }, { intervalMs: 60_000 });
    expect(relay.membership.relaying).toBe(true);
    expect(follower.membership.relaying).toBe(false);
    // A beat from a member nobody has a report of: the relay asks it, in its view.
    await bus.transport.publish(HEARTBEAT_SUBJECT, ProcessHeartbeat.encode({ workerName: 'ghost', incarnation: 'g1', intervalMs: 60_000, beat: true, reportVersion: 3 }).finish());
    await until(() => bus.views.some((v) => v.wanted.includes('ghost')));
    // Its report reaches the follower through the relay at once.
    await bus.transport.publish(HEARTBEAT_SUBJECT, ProcessHeartbeat.encode({ workerName: 'ghost', incarnation: 'g1', intervalMs: 60_000, beat: false, reportVersion: 3, actorKinds: [{ kind: 'typing', actors: 1, queued: 0 }] }).finish());
    await until(() => follower.membership.member('ghost')?.actorKinds.length === 1);
    // A view naming the follower in `wanted`: it sends its full report to the relay at once.
    const fullsBefore = bus.from('persister1').filter((h) => !h.beat).length;
    await bus.transport.publish(VIEW_SUBJECT, ClusterViewMessage.encode({ ...bus.views.at(-1)!, wanted: ['persister1'] }).finish());
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
