// Bad-input sweep over every server-server route the monolith registers (/_matrix/federation/*
// and /_matrix/key/*), unsigned, signed with a wrong key, signed for another destination, and
// signed correctly by a remote server whose key is in the key store and whose user joined the
// swept room (through make_join/send_join on the real server): malformed and mis-shaped bodies,
// wrong field types and missing fields from the server-server spec, oversized and deeply
// nested bodies, bytes that are not UTF-8, bad path and query values. Every answer must be a
// prompt Matrix 4xx (never a 5xx or a hang) and the server must keep serving.
import { finalizeEvent, roomVersion, SigningKey, signRequest, type JsonObject } from '@homeserver/matrix';
import { storeServerKeyResponse } from '@homeserver/storage';
import { SpecValidator } from '@homeserver/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCases, fillPath, type BadCase } from './testing/bad-input/bad-cases.ts';
import { checkAnswer } from './testing/bad-input/check-answer.ts';
import { sendFederationCase, type FederationSigner } from './testing/bad-input/federation-signing.ts';
import { startTestMonolith, type TestMonolith } from './testing/bad-input/monolith.ts';
import { requestSpec } from './testing/bad-input/request-spec.ts';
import { createSweepWorld, type SweepWorld } from './testing/bad-input/sweep-fixture.ts';
import { SweepReport } from './testing/bad-input/sweep-report.ts';

const HANG_MS = 10_000;
const REMOTE = 'sweep.remote';
const SERVER = 'test.local';
const signer: FederationSigner = {
  origin: REMOTE,
  destination: SERVER,
  key: SigningKey.fromSeed(new Uint8Array(32).fill(21), 'sweep'),
  wrongKey: SigningKey.fromSeed(new Uint8Array(32).fill(22), 'sweep'),
};
/** Routes other servers may call without a signature (Synapse's too). */
const UNSIGNED_OK = /^\/_matrix\/(key\/v2\/|federation\/v1\/version$)/;
/** Authenticated by an OpenID access token, not by a signature: a bad one is 401 M_UNKNOWN_TOKEN. */
const OPENID_TOKEN = /\/federation\/v1\/openid\/userinfo$/;
/** Required by the spec, read as empty when absent (as Synapse does; Sytest's peer leaves them out). */
const TOLERATED_MISSING = /^without required field "(earliest_events|latest_events)"/;
/** Request shapes come from the server-server spec. */
const s2s = new SpecValidator({ apis: ['server-server'] });
const lookup = (method: string, path: string) => s2s.findOperation(method, path);

async function signedCall(baseUrl: string, method: string, uri: string, body?: JsonObject): Promise<{ status: number; body: JsonObject }> {
  const authorization = signRequest({ method, uri, origin: REMOTE, destination: SERVER, ...(body === undefined ? {} : { content: body }) }, signer.key);
  const response = await fetch(baseUrl + uri, { method, headers: { authorization, 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  return { status: response.status, body: (await response.json()) as JsonObject };
}

/** The sweep's case with token modes read as signatures, and the expectations of a signed API. */
function federationCases(route: { method: string; url: string }, params: Record<string, string>): BadCase[] {
  const spec = requestSpec(route.method === 'HEAD' ? 'GET' : route.method, fillPath(route.url, params), lookup);
  const unsignedOk = UNSIGNED_OK.test(route.url);
  const openIdToken = OPENID_TOKEN.test(route.url);
  // /send takes 50 PDUs of 64 KiB: its body limit is larger than the client API's.
  const bodyLimit = /\/send\/:txnId$/.test(route.url) ? 8 * 1024 * 1024 : undefined;
  const cases = buildCases(route, spec, params, bodyLimit === undefined ? {} : { bodyLimit }).map((c): BadCase => {
    // Federation bodies may nest 16 levels deeper than client ones (libs/http json-body.ts).
    if (c.kind === 'deep-nesting' && c.detail.includes(' 1001 ')) return { ...c, statuses: undefined, errcodes: undefined };
    // A JSON null body is read as no body: a signature over `content: null` does not match.
    if (c.kind === 'non-object-body' && c.detail === 'JSON null') return { ...c, errcodes: [...(c.errcodes ?? []), 'M_UNAUTHORIZED'] };
    if (c.kind === 'missing-field' && /\/get_missing_events\//.test(route.url) && TOLERATED_MISSING.test(c.detail)) return { ...c, statuses: undefined, errcodes: undefined };
    if (openIdToken && c.token !== 'valid') return { ...c, statuses: [401], errcodes: ['M_UNKNOWN_TOKEN'] };
    if (c.token === 'valid') return c;
    return unsignedOk ? { ...c, statuses: undefined, errcodes: undefined } : { ...c, statuses: [401], errcodes: ['M_UNAUTHORIZED'] };
  });
  const valid = cases.find((c) => c.kind === 'no-token');
  if (valid && !unsignedOk && !openIdToken) {
    cases.push({ ...valid, kind: 'bad-token', detail: 'signed for another destination', token: 'valid', statuses: [401], errcodes: ['M_UNAUTHORIZED'] });
  }
  return cases;
}

describe('bad-input sweep over the monolith server-server API', () => {
  let server: TestMonolith;
  let world: SweepWorld;
  let params: Record<string, string>;

  beforeAll(async () => {
    server = await startTestMonolith({ extraConfig: { listeners: [{ port: 0, bind_addresses: ['127.0.0.1'], type: 'http', resources: [{ names: ['client', 'federation', 'keys', 'health'] }] }] } });
    world = await createSweepWorld(server.baseUrl);
    const now = Date.now();
    // The remote server's key, as the key store would hold it after fetching it.
    await storeServerKeyResponse(server.db, {
      serverName: REMOTE,
      fromServer: REMOTE,
      fetchedTs: now,
      validUntilTs: now + 86_400_000,
      keyJson: '{}',
      verifyKeys: new Map([[signer.key.keyId, signer.key.publicKey]]),
      oldVerifyKeys: new Map(),
    });
    // A user of the remote server joins the swept room, so room reads get past the membership checks.
    const remoteUser = `@sweeper:${REMOTE}`;
    const room = encodeURIComponent(world.roomId);
    const made = await signedCall(server.baseUrl, 'GET', `/_matrix/federation/v1/make_join/${room}/${encodeURIComponent(remoteUser)}?ver=10&ver=11&ver=12`);
    expect(made.status, JSON.stringify(made.body)).toBe(200);
    const join = finalizeEvent(made.body['event'] as JsonObject, { roomVersion: roomVersion(String(made.body['room_version'])), serverName: REMOTE, signingKey: signer.key });
    const sent = await signedCall(server.baseUrl, 'PUT', `/_matrix/federation/v2/send_join/${room}/${encodeURIComponent(join.eventId)}`, join.pdu);
    expect(sent.status, JSON.stringify(sent.body)).toBe(200);
    params = { ...world.params, userId: remoteUser, serverName: REMOTE, keyId: signer.key.keyId, queryType: 'profile' };
  }, 240_000);

  afterAll(async () => {
    await server?.stop();
  });

  it('answers every bad request on every federation and key route with a prompt Matrix 4xx and keeps serving', async () => {
    const routes = server.routes.filter((r) => r.url.startsWith('/_matrix/federation/') || r.url.startsWith('/_matrix/key/'));
    expect(routes.length).toBeGreaterThan(20);
    const report = new SweepReport();
    for (const route of routes) {
      const name = `${route.method} ${route.url}`;
      for (const badCase of federationCases(route, params)) {
        const destination = badCase.detail === 'signed for another destination' ? 'elsewhere.test' : undefined;
        const answer = await sendFederationCase(server.baseUrl, badCase, signer, { timeoutMs: HANG_MS, ...(destination ? { destination } : {}) });
        report.record(name, badCase, answer, checkAnswer(badCase, answer));
      }
      const health = await fetch(`${server.baseUrl}/health`, { signal: AbortSignal.timeout(HANG_MS) });
      if (health.status !== 200) report.fail(name, 'GET /health afterwards', [`status ${health.status}`]);
      const version = await fetch(`${server.baseUrl}/_matrix/federation/v1/version`, { signal: AbortSignal.timeout(HANG_MS) });
      if (version.status !== 200) report.fail(name, 'GET /version afterwards', [`status ${version.status}`]);
    }
    process.stdout.write(`${report.summary()}\n`);
    if (report.failures.length > 0) process.stdout.write(`failures:\n${report.failureList()}\n`);
    expect(report.failures, report.failureList(50)).toEqual([]);
  }, 1_200_000);

  it('still serves the room to the remote server after the sweep', async () => {
    const room = encodeURIComponent(world.roomId);
    const answer = await signedCall(server.baseUrl, 'GET', `/_matrix/federation/v1/state_ids/${room}?event_id=${encodeURIComponent(world.eventId)}`);
    expect(answer.status).toBe(200);
    expect((answer.body['pdu_ids'] as string[]).length).toBeGreaterThan(3);
  });
});
