// The bad-input sweep over the endpoints application services call, sent with an appservice's
// as_token as the valid token (the main sweep, bad-input.int.spec.ts, sends every route a user's
// token, which these routes refuse with 403 before reading anything): the ping, the appservice
// room directory, the third-party lookups it answers, and registration and login with
// m.login.application_service. Every answer must be a prompt Matrix 4xx, never a 5xx.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { routeEntryOfRoute } from '@homeserver/http';
import { appserviceRegistrationYaml, startTestAppservice, type TestAppservice } from '@homeserver/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCases, fillPath } from './testing/bad-input/bad-cases.ts';
import { checkAnswer, sendCase } from './testing/bad-input/check-answer.ts';
import { startTestMonolith, type TestMonolith } from './testing/bad-input/monolith.ts';
import { requestSpec } from './testing/bad-input/request-spec.ts';
import { call } from './testing/bad-input/sweep-fixture.ts';
import { SweepReport } from './testing/bad-input/sweep-report.ts';

const AS_TOKEN = 'sweep-as-token';
const APPSERVICE_ROUTES = /\/appservice\/|\/thirdparty\/|\/register$|\/login$/;

describe('bad-input sweep over the appservice endpoints', () => {
  let dir: string;
  let appservice: TestAppservice;
  let server: TestMonolith;
  let roomId: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hs-as-sweep-'));
    appservice = await startTestAppservice({ hsToken: 'sweep-hs-token' });
    appservice.answer('/ping', 200, {});
    const registration = join(dir, 'sweep.yaml');
    await writeFile(registration, appserviceRegistrationYaml({ id: 'sweep', url: appservice.url, asToken: AS_TOKEN, hsToken: 'sweep-hs-token', senderLocalpart: 'sweepbot', users: '@sweep_.*', protocols: ['sweepnet'] }));
    server = await startTestMonolith({ extraConfig: { app_service_config_files: [registration] } });
    roomId = (await call<{ room_id: string }>(server.baseUrl, 'POST', '/_matrix/client/v3/createRoom', { token: AS_TOKEN, body: {} })).room_id;
  }, 240_000);

  afterAll(async () => {
    await server?.stop();
    await appservice?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('answers every bad request with a prompt Matrix 4xx', async () => {
    const routes = server.routes.filter((r) => r.url.startsWith('/_matrix/client/') && APPSERVICE_ROUTES.test(r.url));
    expect(routes.map((r) => `${r.method} ${r.url}`)).toEqual(
      expect.arrayContaining(['POST /_matrix/client/v1/appservice/:appserviceId/ping', 'PUT /_matrix/client/v3/directory/list/appservice/:networkId/:roomId']),
    );
    const params = { roomId, appserviceId: 'sweep', networkId: 'sweepnet', protocol: 'sweepnet' };
    const report = new SweepReport();
    for (const route of routes) {
      const spec = requestSpec(route.method === 'HEAD' ? 'GET' : route.method, fillPath(route.url, params));
      const authRequired = routeEntryOfRoute(route.method, route.url)?.auth === 'required';
      for (const badCase of buildCases(route, spec, params, { authRequired })) {
        const answer = await sendCase(server.baseUrl, AS_TOKEN, badCase, { timeoutMs: 10_000 });
        report.record(`${route.method} ${route.url}`, badCase, answer, checkAnswer(badCase, answer));
      }
    }
    process.stdout.write(`${report.summary()}\n`);
    expect(report.failures, report.failureList(50)).toEqual([]);
  });
});
