// The route table (libs/http) against the monolith's real routes: every method + URL the role
// modules of apps/main register on a listener serving every resource is listed exactly once,
// under the role that registers it, and the table's access-token requirement agrees with the
// v1.19 spec's security section wherever the spec documents the endpoint.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { routeEntryOfRoute, routeTableProblems, type RegisteredRoute } from '@homeserver/http';
import { startProcess, type RunningProcess } from '@homeserver/runtime';
import { writeTestHomeserverConfig } from '@homeserver/testing';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mainModules } from './main-modules.ts';
import { fillPath } from './testing/bad-input/bad-cases.ts';
import { requestSpec } from './testing/bad-input/request-spec.ts';

const EVERY_RESOURCE = { port: 0, bind_addresses: ['127.0.0.1'], type: 'http', resources: [{ names: ['client', 'federation', 'keys', 'media', 'health', 'metrics'] }] };
// Synapse's `openid` resource: the userinfo endpoint alone, beside the client API.
const CLIENT_AND_OPENID = { port: 0, bind_addresses: ['127.0.0.1'], type: 'http', resources: [{ names: ['client', 'openid'] }] };
const SAMPLE_PARAMS = { roomId: '!r:x', userId: '@u:x', eventId: '$e', roomAlias: '#a:x', roomIdOrAlias: '!r:x' };

// Where the table deliberately differs from the spec's security section, and why.
const AUTH_DEVIATIONS: ReadonlyArray<{ url: RegExp; reason: string }> = [
  { url: /\/account\/(password|deactivate)$/, reason: 'no email/3PID flows here, so these need the session (Synapse requires it for deactivate, and for password without an email reset)' },
  { url: /\/versions$/, reason: 'Synapse resolves a token on /versions when one is sent (optional; the spec lists none)' },
];

describe('route table vs the monolith', () => {
  let dir: string;
  let running: RunningProcess;
  let routes: readonly RegisteredRoute[];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hs-route-table-'));
    const configPath = await writeTestHomeserverConfig(dir, { extra: { listeners: [EVERY_RESOURCE, CLIENT_AND_OPENID] } });
    running = await startProcess('main', { argv: ['-c', configPath], modules: mainModules(), cwd: dir, logger: pino({ level: 'silent' }) });
    routes = running.routes;
  }, 240_000);

  afterAll(async () => {
    await running?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('lists every registered route exactly once, under the role that registers it', () => {
    expect(routes.length).toBeGreaterThan(100);
    expect(new Set(routes.map((r) => r.role))).toEqual(new Set(['main', 'media', 'sync', 'federation-reader']));
    expect(routeTableProblems(routes)).toEqual([]);
  });

  it('requires a token exactly where the spec does, but for the documented deviations', () => {
    const disagreements: string[] = [];
    for (const route of routes) {
      if (route.method === 'HEAD') continue;
      const spec = requestSpec(route.method, fillPath(route.url, SAMPLE_PARAMS));
      const entry = routeEntryOfRoute(route.method, route.url);
      if (spec === undefined || entry === undefined) continue;
      // Server-server routes authenticate by X-Matrix signature, never by access token.
      if (entry.resource === 'federation' || entry.resource === 'keys') continue;
      if (spec.requiresAuth !== (entry.auth === 'required') && !AUTH_DEVIATIONS.some((d) => d.url.test(route.url))) {
        disagreements.push(`${route.method} ${route.url}: spec ${spec.requiresAuth ? 'requires' : 'does not require'} a token, table entry ${entry.id} says ${entry.auth}`);
      }
    }
    expect(disagreements).toEqual([]);
  });

  it('serves /openid/userinfo on a listener with the openid resource, and no other federation route there', async () => {
    const { host, port } = running.addresses[1]!;
    const base = `http://${host}:${port}`;
    const userinfo = await fetch(`${base}/_matrix/federation/v1/openid/userinfo?access_token=unknown`);
    expect(userinfo.status).toBe(401);
    expect(((await userinfo.json()) as { errcode?: string }).errcode).toBe('M_UNKNOWN_TOKEN');
    expect((await fetch(`${base}/_matrix/federation/v1/version`)).status).toBe(404);
    expect((await fetch(`${base}/_matrix/client/versions`)).status).toBe(200);
  });
});
