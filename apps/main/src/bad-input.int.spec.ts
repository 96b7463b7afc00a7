// Bad-input sweep over every /_matrix route the running monolith registers: for each route and
// method, token problems, unparsable/mis-shaped bodies, wrong field types and missing fields from
// the spec's request schema, oversized bodies, invalid path params and mistyped query params, and
// on every route the route table marks authenticated, a missing or unknown token together with a
// malformed or mistyped request (401: the token is checked before the request is validated).
// Also bodies nested 100 to 100,000 levels, bytes that are not UTF-8 and percent-encoding that
// does not decode. Every answer must be a prompt Matrix 4xx (never 5xx or a hang), spec-valid
// where documented, and the server must keep serving afterwards: /health, the sweeper's session,
// and the other member's /sync of the room (whatever the accepted requests stored).
import { randomUUID } from 'node:crypto';
import { routeEntryOfRoute } from '@homeserver/http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCases, fillPath } from './testing/bad-input/bad-cases.ts';
import { checkAnswer, sendCase } from './testing/bad-input/check-answer.ts';
import { toleratedReason } from './testing/bad-input/known-deviations.ts';
import { startTestMonolith, type TestMonolith } from './testing/bad-input/monolith.ts';
import { requestSpec } from './testing/bad-input/request-spec.ts';
import { call, createSweepWorld, keepSessionAlive, MemberSync, type SweepWorld } from './testing/bad-input/sweep-fixture.ts';
import { SweepReport } from './testing/bad-input/sweep-report.ts';

const HANG_MS = 10_000;
/** max_upload_size of the swept server, so the oversized raw upload stays small. */
const MAX_UPLOAD = 2 * 1024 * 1024;
/** Media uploads take raw bytes, not JSON. */
const RAW_BODY = /^\/_matrix\/media\/[^/]+\/upload/;

describe('bad-input sweep over the monolith client API', () => {
  let server: TestMonolith;
  let world: SweepWorld;

  beforeAll(async () => {
    server = await startTestMonolith({ extraConfig: { max_upload_size: MAX_UPLOAD } });
    world = await createSweepWorld(server.baseUrl);
  }, 240_000);

  afterAll(async () => {
    await server?.stop();
  });

  it('answers every bad request on every route with a prompt Matrix 4xx and keeps serving', async () => {
    const routes = server.routes.filter((r) => r.url.startsWith('/_matrix/'));
    expect(routes.length).toBeGreaterThan(100);
    expect(routes.filter((r) => routeEntryOfRoute(r.method, r.url)?.auth === 'required').length).toBeGreaterThan(100);
    const report = new SweepReport();
    const memberSync = await MemberSync.start(server.baseUrl, world.other);
    for (const route of routes) {
      const name = `${route.method} ${route.url}`;
      const spec = requestSpec(route.method === 'HEAD' ? 'GET' : route.method, fillPath(route.url, world.params));
      const authRequired = routeEntryOfRoute(route.method, route.url)?.auth === 'required';
      const rawBody = RAW_BODY.test(route.url);
      for (const badCase of buildCases(route, spec, world.params, { authRequired, rawBody, ...(rawBody ? { bodyLimit: MAX_UPLOAD } : {}) })) {
        const answer = await sendCase(server.baseUrl, world.sweeper.accessToken, badCase, { timeoutMs: HANG_MS });
        let problems = checkAnswer(badCase, answer);
        const reason = toleratedReason(route.url, badCase);
        if (problems.length > 0 && reason !== undefined && answer.status < 300) {
          report.tolerate(reason);
          problems = [];
        }
        report.record(name, badCase, answer, problems);
      }
      const health = await fetch(`${server.baseUrl}/health`, { signal: AbortSignal.timeout(HANG_MS) });
      if (health.status !== 200) report.fail(name, 'GET /health afterwards', [`status ${health.status}`]);
      if (!(await keepSessionAlive(server.baseUrl, world.sweeper))) report.fail(name, 'whoami afterwards', ['a bad request ended the session']);
      const synced = await memberSync.next();
      if (synced !== 200) report.fail(name, "the other member's /sync afterwards", [`status ${synced}`]);
    }
    process.stdout.write(`${report.summary()}\n`);
    if (report.failures.length > 0) process.stdout.write(`failures:\n${report.failureList()}\n`);
    expect(report.failures, report.failureList(50)).toEqual([]);
  }, 1_200_000);

  it('still sends and reads back a message after the sweep', async () => {
    const room = encodeURIComponent(world.roomId);
    const { event_id: eventId } = await call<{ event_id: string }>(server.baseUrl, 'PUT', `/_matrix/client/v3/rooms/${room}/send/m.room.message/${randomUUID()}`, {
      token: world.other.accessToken,
      body: { msgtype: 'm.text', body: 'after the sweep' },
    });
    const event = await call<{ content: { body: string } }>(server.baseUrl, 'GET', `/_matrix/client/v3/rooms/${room}/event/${encodeURIComponent(eventId)}`, { token: world.sweeper.accessToken });
    expect(event.content.body).toBe('after the sweep');
    // An initial sync serves everything the sweep got stored (deep bodies included).
    const initial = await fetch(`${server.baseUrl}/_matrix/client/v3/sync?timeout=0`, { headers: { authorization: `Bearer ${world.other.accessToken}` } });
    expect(initial.status).toBe(200);
  });
});
