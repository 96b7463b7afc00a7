import type { RouteEntry } from '@homeserver/http';
import { describe, expect, it } from 'vitest';
import type { Deployment } from './deployment.ts';
import { hashKeyOf } from './hash-keys.ts';
import { buildRoutingPlan, routeRequest } from './routing-plan.ts';
import { workerDeployment } from './testing/deployments.ts';
import { ROUTING_CASES } from './testing/routing-cases.ts';

describe('buildRoutingPlan + routeRequest', () => {
  const plan = buildRoutingPlan(workerDeployment());

  it.each(ROUTING_CASES.map((c) => [c.method, c.request.path, c.upstream, c]))('%s %s -> %s', (_method, _path, upstream, c) => {
    const decision = routeRequest(plan, c.request);
    expect(decision.upstream).toBe(upstream);
    const servers = plan.upstreams.find((u) => u.name === upstream)!.servers.map((s) => s.instance);
    expect(servers).toEqual(c.instances);
  });

  it('hashes syncs by the user of the token and inbound transactions by origin', () => {
    expect(routeRequest(plan, { path: '/_matrix/client/v3/sync', authorization: 'Bearer syt_alice_abc_1' })).toEqual({ upstream: 'sync_by_access_token', hashKey: 'alice' });
    expect(routeRequest(plan, { path: '/_matrix/client/v3/sync', accessTokenParam: 'mat_xyz' }).hashKey).toBe('mat_xyz');
    expect(routeRequest(plan, { path: '/_matrix/federation/v1/send/1', authorization: 'X-Matrix origin=remote.org,key="k",sig="s"' }).hashKey).toBe('remote.org');
    expect(routeRequest(plan, { path: '/_matrix/client/v3/keys/changes', authorization: 'Bearer syt_alice_abc_1' }).hashKey).toBeUndefined();
  });

  it('sends everything to main in the monolith, with no rules at all', () => {
    const monolith: Deployment = { serverName: 'example.org', main: workerDeployment().main, workers: [] };
    const only = buildRoutingPlan(monolith);
    expect(only.rules).toEqual([]);
    expect(only.upstreams).toEqual([{ name: 'main', servers: [{ instance: 'main', host: '127.0.0.1', port: 8008 }] }]);
    for (const c of ROUTING_CASES) expect(routeRequest(only, c.request).upstream).toBe('main');
  });

  it("routes a role without workers to main, on main's listener for that resource", () => {
    const base = workerDeployment();
    const deployment: Deployment = {
      ...base,
      main: { ...base.main, listeners: [{ host: '127.0.0.1', port: 8008, resources: new Set(['client']) }, { host: '127.0.0.1', port: 8448, resources: new Set(['federation']) }] },
      workers: base.workers.filter((w) => w.role !== 'federation-reader'),
    };
    const split = buildRoutingPlan(deployment);
    expect(routeRequest(split, { path: '/_matrix/federation/v1/send/1' })).toEqual({ upstream: 'main_federation' });
    expect(routeRequest(split, { path: '/_matrix/key/v2/server' }).upstream).toBe('main_federation');
    expect(split.upstreams.find((u) => u.name === 'main_federation')?.servers).toEqual([{ instance: 'main', host: '127.0.0.1', port: 8448 }]);
    expect(routeRequest(split, { path: '/_matrix/client/v3/sync' }).upstream).toBe('sync_by_access_token');
  });

  it('names a role upstream by resource when its instances serve two resources on different listeners', () => {
    const base = workerDeployment();
    const media = { ...base.workers.find((w) => w.name === 'media1')!, listeners: [{ host: '127.0.0.1', port: 9001, resources: new Set(['media']) }, { host: '127.0.0.1', port: 9002, resources: new Set(['client']) }] };
    const split = buildRoutingPlan({ ...base, workers: [media] });
    expect(routeRequest(split, { path: '/_matrix/media/v3/upload' }).upstream).toBe('media');
    expect(routeRequest(split, { path: '/_matrix/client/v1/media/config' }).upstream).toBe('media_client');
  });

  it('refuses a table whose method-split family would go to two upstreams', () => {
    const table: RouteEntry[] = [
      { id: 'x.read', pattern: '^/x$', methods: ['GET'], role: 'sync', resource: 'client', auth: 'none' },
      { id: 'x.write', pattern: '^/x$', methods: ['PUT'], role: 'main', resource: 'client', auth: 'required' },
    ];
    expect(() => buildRoutingPlan(workerDeployment(), { table })).toThrow(/x\.read and x\.write share the pattern/);
  });

  it('refuses a deployment whose main process has no client listener to fall back to', () => {
    const base = workerDeployment();
    const deployment = { ...base, main: { ...base.main, listeners: [{ host: '127.0.0.1', port: 8448, resources: new Set(['federation']) }] } };
    expect(() => buildRoutingPlan(deployment)).toThrow(/no http listener with the client resource/);
  });
});

describe('hashKeyOf', () => {
  it('takes the localpart of Synapse-shaped tokens, else the token, header before query', () => {
    expect(hashKeyOf('access-token', { path: '/', authorization: 'Bearer syt_YWxpY2U_abc_def' })).toBe('YWxpY2U');
    expect(hashKeyOf('access-token', { path: '/', authorization: 'bearer  mat_abc' })).toBe('mat_abc');
    expect(hashKeyOf('access-token', { path: '/', authorization: 'Bearer mat_header', accessTokenParam: 'mat_query' })).toBe('mat_header');
    expect(hashKeyOf('access-token', { path: '/', accessTokenParam: 'syt_bob_x_y' })).toBe('bob');
    expect(hashKeyOf('access-token', { path: '/' })).toBe('');
  });

  it('takes the X-Matrix origin wherever it stands, else the client address', () => {
    expect(hashKeyOf('origin', { path: '/', authorization: 'X-Matrix origin="a.org",destination="b.org",key="ed25519:k",sig="s"' })).toBe('a.org');
    expect(hashKeyOf('origin', { path: '/', authorization: 'X-Matrix key="ed25519:k",origin=c.org:8448,sig="s"' })).toBe('c.org:8448');
    expect(hashKeyOf('origin', { path: '/', authorization: 'Bearer x', remoteAddress: '10.0.0.1' })).toBe('10.0.0.1');
  });
});
