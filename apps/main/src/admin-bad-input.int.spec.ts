// The bad-input sweep over the admin routes (/_synapse/admin, /_homeserver/admin) the monolith
// registers: on every route and method, no token is a 401 M_MISSING_TOKEN and an unknown one a
// 401 M_UNKNOWN_TOKEN (even with a malformed body), a non-admin's token a 403 M_FORBIDDEN before
// the request is looked at, and an admin's malformed requests (bad JSON, oversized bodies, bad
// path parameters) prompt Matrix 4xx answers, never a 5xx or a hang; the server keeps serving.
import { randomUUID } from 'node:crypto';
import { routeEntryOfRoute } from '@homeserver/http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerAdmin } from './testing/admin-http.ts';
import { buildCases, type BadCase } from './testing/bad-input/bad-cases.ts';
import { checkAnswer, sendCase } from './testing/bad-input/check-answer.ts';
import { startTestMonolith, type TestMonolith } from './testing/bad-input/monolith.ts';
import { call, register, type Session } from './testing/bad-input/sweep-fixture.ts';
import { SweepReport } from './testing/bad-input/sweep-report.ts';

const SECRET = 'admin-sweep-secret';
const HANG_MS = 10_000;
const isAdminRoute = (url: string) => (url.startsWith('/_synapse/admin/') && url !== '/_synapse/admin/v1/register') || url.startsWith('/_homeserver/admin/');

describe('bad-input sweep over the admin routes', () => {
  let server: TestMonolith;
  let nonAdmin: Session;
  let admin: Session;
  let params: Record<string, string>;

  beforeAll(async () => {
    server = await startTestMonolith({ extraConfig: { registration_shared_secret: SECRET } });
    const suffix = randomUUID().slice(0, 8);
    nonAdmin = await register(server.baseUrl, `plain_${suffix}`);
    const root = await registerAdmin(server.baseUrl, SECRET, `root_${suffix}`);
    admin = { userId: root.userId, accessToken: root.accessToken, deviceId: root.deviceId };
    // Valid path values point at a victim user and room, so an admin request the sweep makes
    // valid by accident (a deactivation, a room deletion) harms neither sweeping session.
    const victim = await register(server.baseUrl, `victim_${suffix}`);
    const { room_id: roomId } = await call<{ room_id: string }>(server.baseUrl, 'POST', '/_matrix/client/v3/createRoom', { token: victim.accessToken, body: { name: 'victim' } });
    params = { userId: victim.userId, roomId, roomIdOrAlias: roomId, deviceId: victim.deviceId, deleteId: 'no-such-task', reportId: '1', token: 'no-such-token' };
  }, 240_000);

  afterAll(async () => {
    await server?.stop();
  });

  it('refuses every admin route without a token (401) and to a non-admin (403), before validation', async () => {
    const routes = server.routes.filter((r) => isAdminRoute(r.url) && r.method !== 'HEAD');
    expect(routes.length).toBeGreaterThan(25);
    const report = new SweepReport();
    for (const route of routes) {
      const url = route.url.split('/').map((p) => (p.startsWith(':') ? encodeURIComponent(params[p.slice(1)] ?? 'x') : p)).join('/');
      const hasBody = route.method !== 'GET' && route.method !== 'DELETE';
      const cases: BadCase[] = [
        { kind: 'no-token', detail: 'no token', method: route.method, url, token: 'none', ...(hasBody ? { body: '{"a":' } : {}), statuses: [401], errcodes: ['M_MISSING_TOKEN'] },
        { kind: 'bad-token', detail: 'unknown token', method: route.method, url, token: 'invalid', ...(hasBody ? { body: '[1,2]' } : {}), statuses: [401], errcodes: ['M_UNKNOWN_TOKEN'] },
        { kind: 'non-object-body', detail: 'non-admin token, malformed body', method: route.method, url, token: 'valid', ...(hasBody ? { body: '{"a":' } : {}), statuses: [403], errcodes: ['M_FORBIDDEN'] },
      ];
      for (const badCase of cases) {
        const answer = await sendCase(server.baseUrl, nonAdmin.accessToken, badCase, { timeoutMs: HANG_MS });
        report.record(`${route.method} ${route.url}`, badCase, answer, checkAnswer(badCase, answer));
      }
    }
    process.stdout.write(`${report.summary()}\n`);
    expect(report.failures, report.failureList(50)).toEqual([]);
  });

  it("answers an admin's malformed requests with prompt Matrix 4xx errors and keeps serving", async () => {
    // The media admin family (served by the media role, hosted by main here) takes no bodies, as
    // in Synapse, so a malformed one is ignored there; its token checks are in the test above.
    const routes = server.routes.filter((r) => isAdminRoute(r.url) && routeEntryOfRoute(r.method, r.url)?.id !== 'admin.media');
    const report = new SweepReport();
    for (const route of routes) {
      // Token cases are the first test's; here the admin's token and a bad request.
      for (const badCase of buildCases(route, undefined, params, { authRequired: true }).filter((c) => c.token === 'valid')) {
        const answer = await sendCase(server.baseUrl, admin.accessToken, badCase, { timeoutMs: HANG_MS });
        report.record(`${route.method} ${route.url}`, badCase, answer, checkAnswer(badCase, answer));
      }
      const health = await fetch(`${server.baseUrl}/health`, { signal: AbortSignal.timeout(HANG_MS) });
      if (health.status !== 200) report.fail(`${route.method} ${route.url}`, 'GET /health afterwards', [`status ${health.status}`]);
    }
    process.stdout.write(`${report.summary()}\n`);
    expect(report.failures, report.failureList(50)).toEqual([]);
    const whoami = await call<{ user_id: string }>(server.baseUrl, 'GET', '/_matrix/client/v3/account/whoami', { token: admin.accessToken });
    expect(whoami.user_id).toBe(admin.userId);
  });
});
