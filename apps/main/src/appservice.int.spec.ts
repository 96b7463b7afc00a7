// Application services end to end on the monolith:
// - a real bridge library (matrix-appservice-bridge), registered through a YAML file listed in
//   app_service_config_files, receives a room message in a transaction, and answers as a
//   virtual user of its namespace it registers, joins with and sends as;
// - exclusive namespaces hold against normal users, and masquerading outside the namespace is refused;
// - an appservice that was down receives what it missed, in order and once, across a homeserver restart.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startProcess, type RunningProcess } from '@homeserver/runtime';
import { appserviceRegistrationYaml, freePort, startTestAppservice, writeTestHomeserverConfig, type TestAppservice } from '@homeserver/testing';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mainModules } from './main-modules.ts';
import { loadBridgeLibrary } from './testing/appservice-bridge.ts';
import { call, register, type Session } from './testing/bad-input/sweep-fixture.ts';

const SERVER = 'hs.test';
const BRIDGE = { id: 'echo-bridge', asToken: 'bridge-as-token', hsToken: 'bridge-hs-token', senderLocalpart: 'echobot', users: `@echo_.*:${SERVER}`, aliases: `#echo_.*:${SERVER}` };
const PLAIN = { id: 'plain', asToken: 'plain-as-token', hsToken: 'plain-hs-token', senderLocalpart: 'plainbot', users: `@plain_.*:${SERVER}` };

async function errorOf(request: Promise<unknown>): Promise<string> {
  return request.then(
    () => '(succeeded)',
    (error: unknown) => (error as Error).message,
  );
}

describe('application services (pglite monolith)', () => {
  let dir: string;
  let configPath: string;
  let hs: RunningProcess;
  let base: string;
  let plain: TestAppservice;
  let bridge: import('matrix-appservice-bridge').Bridge;
  let alice: Session;
  let txn = 0;
  const bridgeEvents: Array<Record<string, unknown>> = [];
  const api = <T = Record<string, unknown>>(token: string, method: string, path: string, body?: unknown) => call<T>(base, method, `/_matrix/client/v3${path}`, { token, body });

  const startHomeserver = async () => {
    hs = await startProcess('main', { argv: ['-c', configPath], modules: mainModules(), cwd: dir, logger: pino({ level: process.env['HS_TEST_LOG_LEVEL'] ?? 'warn' }) });
    base = `http://127.0.0.1:${hs.addresses[0]!.port}`;
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hs-appservice-'));
    const bridgePort = await freePort();
    plain = await startTestAppservice({ hsToken: PLAIN.hsToken });
    await writeFile(join(dir, 'bridge.yaml'), appserviceRegistrationYaml({ ...BRIDGE, url: `http://127.0.0.1:${bridgePort}` }));
    await writeFile(join(dir, 'plain.yaml'), appserviceRegistrationYaml({ ...PLAIN, url: plain.url, protocols: ['gopher'], receiveEphemeral: true }));
    configPath = await writeTestHomeserverConfig(dir, { serverName: SERVER, extra: { app_service_config_files: ['bridge.yaml', 'plain.yaml'] } });
    await startHomeserver();

    // The bridge: echoes every text message it sees as its virtual user @echo_<sender localpart>.
    const { Bridge } = await loadBridgeLibrary();
    bridge = new Bridge({
      homeserverUrl: base,
      domain: SERVER,
      registration: join(dir, 'bridge.yaml'),
      disableStores: true,
      disableContext: true,
      controller: {
        onEvent: (request) => {
          const event = request.getData() as unknown as Record<string, unknown>;
          bridgeEvents.push(event);
          const content = event['content'] as Record<string, unknown> | undefined;
          const roomId = String(event['room_id']);
          if (event['type'] === 'm.room.member' && event['state_key'] === `@${BRIDGE.senderLocalpart}:${SERVER}` && content?.['membership'] === 'invite') {
            void bridge.getIntent().join(roomId);
          }
          if (event['type'] === 'm.room.message' && !String(event['sender']).startsWith('@echo_')) {
            const sender = String(event['sender']);
            const virtual = bridge.getIntent(`@echo_${sender.slice(1, sender.indexOf(':'))}:${SERVER}`);
            void virtual.sendText(roomId, `echo: ${String(content?.['body'])}`);
          }
        },
      },
    });
    await bridge.run(bridgePort, undefined, '127.0.0.1');
    alice = await register(base, 'alice');
  }, 240_000);

  afterAll(async () => {
    await bridge?.close().catch(() => {});
    await hs?.stop();
    await plain?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('drives matrix-appservice-bridge: a message reaches it, its virtual user registers, joins and answers', async () => {
    const { room_id: roomId } = await api<{ room_id: string }>(alice.accessToken, 'POST', '/createRoom', { preset: 'public_chat', invite: [`@${BRIDGE.senderLocalpart}:${SERVER}`] });
    // The bot joins on its invite (a transaction with the invite reached the bridge).
    for (let i = 0; i < 300 && !(await api<{ joined: Record<string, unknown> }>(alice.accessToken, 'GET', `/rooms/${encodeURIComponent(roomId)}/joined_members`)).joined[`@echobot:${SERVER}`]; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const { event_id: sent } = await api<{ event_id: string }>(alice.accessToken, 'PUT', `/rooms/${encodeURIComponent(roomId)}/send/m.room.message/t${++txn}`, { msgtype: 'm.text', body: 'hello bridge' });
    const echoer = `@echo_alice:${SERVER}`;
    let echo: Record<string, unknown> | undefined;
    for (let i = 0; i < 300 && echo === undefined; i++) {
      const { chunk } = await api<{ chunk: Array<Record<string, unknown>> }>(alice.accessToken, 'GET', `/rooms/${encodeURIComponent(roomId)}/messages?dir=b&limit=20`);
      echo = chunk.find((event) => event['sender'] === echoer && event['type'] === 'm.room.message');
      if (echo === undefined) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(bridgeEvents.some((event) => event['event_id'] === sent && (event['content'] as Record<string, unknown>)['body'] === 'hello bridge')).toBe(true);
    expect(echo?.['content']).toMatchObject({ msgtype: 'm.text', body: 'echo: hello bridge' });
    // The virtual user exists (registered by the bridge) and is joined.
    const members = await api<{ joined: Record<string, unknown> }>(alice.accessToken, 'GET', `/rooms/${encodeURIComponent(roomId)}/joined_members`);
    expect(Object.keys(members.joined)).toEqual(expect.arrayContaining([alice.userId, `@echobot:${SERVER}`, echoer]));
  });

  it('keeps exclusive namespaces for their appservice and refuses masquerading outside them', async () => {
    const open = { username: 'echo_mallory', password: 'correct horse battery', auth: { type: 'm.login.dummy' } };
    expect(await errorOf(call(base, 'POST', '/_matrix/client/v3/register', { body: open }))).toMatch(/400.*M_EXCLUSIVE/);
    expect(await errorOf(call(base, 'GET', '/_matrix/client/v3/register/available?username=echo_mallory'))).toMatch(/400.*M_EXCLUSIVE/);
    // The appservice may register it, but not a user outside its namespace.
    const asRegister = (username: string) => call(base, 'POST', '/_matrix/client/v3/register', { token: PLAIN.asToken, body: { type: 'm.login.application_service', username } });
    expect(await asRegister('plain_bob')).toMatchObject({ user_id: `@plain_bob:${SERVER}` });
    expect(await errorOf(asRegister('echo_bob'))).toMatch(/400.*M_EXCLUSIVE/);
    expect(await errorOf(asRegister('bob'))).toMatch(/400.*M_EXCLUSIVE/);
    // Masquerading: as its users (registered ones), never outside its namespace.
    expect(await api(PLAIN.asToken, 'GET', `/account/whoami?user_id=${encodeURIComponent(`@plain_bob:${SERVER}`)}`)).toMatchObject({ user_id: `@plain_bob:${SERVER}` });
    expect(await api(PLAIN.asToken, 'GET', '/account/whoami')).toMatchObject({ user_id: `@plainbot:${SERVER}` });
    expect(await errorOf(api(PLAIN.asToken, 'GET', `/account/whoami?user_id=${encodeURIComponent(alice.userId)}`))).toMatch(/403.*M_FORBIDDEN.*cannot masquerade/);
    expect(await errorOf(api(PLAIN.asToken, 'GET', `/account/whoami?user_id=${encodeURIComponent(`@plain_nobody:${SERVER}`)}`))).toMatch(/403.*M_FORBIDDEN.*not registered/);
    // m.login.application_service logs a namespace user in.
    const login = (user: string) => call(base, 'POST', '/_matrix/client/v3/login', { token: PLAIN.asToken, body: { type: 'm.login.application_service', identifier: { type: 'm.id.user', user } } });
    expect(await login('plain_bob')).toMatchObject({ user_id: `@plain_bob:${SERVER}` });
    expect(await errorOf(login('alice'))).toMatch(/403.*M_FORBIDDEN/);
    // Aliases in an exclusive namespace are the appservice's.
    const { room_id: roomId } = await api<{ room_id: string }>(alice.accessToken, 'POST', '/createRoom', {});
    expect(await errorOf(api(alice.accessToken, 'PUT', `/directory/room/${encodeURIComponent(`#echo_room:${SERVER}`)}`, { room_id: roomId }))).toMatch(/400.*M_EXCLUSIVE/);
    expect(await errorOf(api(alice.accessToken, 'POST', '/createRoom', { room_alias_name: 'echo_mine' }))).toMatch(/400.*M_EXCLUSIVE/);
  });

  it('answers ping, third-party protocols and user queries through the appservice', async () => {
    // Unanswered, the ping reports the appservice's status (502 M_BAD_STATUS, as the spec says).
    expect(await errorOf(call(base, 'POST', `/_matrix/client/v1/appservice/${PLAIN.id}/ping`, { token: PLAIN.asToken, body: {} }))).toMatch(/502.*M_BAD_STATUS.*"status":404/);
    plain.answer('/ping', 200, {});
    expect(await call(base, 'POST', `/_matrix/client/v1/appservice/${PLAIN.id}/ping`, { token: PLAIN.asToken, body: { transaction_id: 'p1' } })).toMatchObject({ duration_ms: expect.any(Number) });
    expect(plain.queries).toContain('POST /_matrix/app/v1/ping');
    expect(await errorOf(call(base, 'POST', `/_matrix/client/v1/appservice/${BRIDGE.id}/ping`, { token: PLAIN.asToken, body: {} }))).toMatch(/403.*M_FORBIDDEN/);
    plain.answer('/thirdparty/protocol/gopher', 200, { user_fields: ['name'], location_fields: [], icon: 'mxc://x/y', field_types: {}, instances: [{ desc: 'Gopherspace', network_id: 'gs', fields: {} }] });
    const protocols = await api<Record<string, { instances: Array<Record<string, unknown>> }>>(alice.accessToken, 'GET', '/thirdparty/protocols');
    expect(protocols['gopher']?.instances[0]).toMatchObject({ network_id: 'gs', instance_id: 'plain|gs' });
    plain.answer('/thirdparty/user/gopher', 200, [{ userid: `@plain_gopher:${SERVER}`, protocol: 'gopher', fields: { name: 'g' } }]);
    expect(await api(alice.accessToken, 'GET', '/thirdparty/user/gopher?name=g')).toEqual([{ userid: `@plain_gopher:${SERVER}`, protocol: 'gopher', fields: { name: 'g' } }]);
    // The appservice lists a private room in its network's directory.
    const { room_id: bridged } = await api<{ room_id: string }>(PLAIN.asToken, 'POST', '/createRoom', { name: 'Gopher lobby' });
    await api(PLAIN.asToken, 'PUT', `/directory/list/appservice/gs/${encodeURIComponent(bridged)}`, { visibility: 'public' });
    expect(await errorOf(api(alice.accessToken, 'PUT', `/directory/list/appservice/gs/${encodeURIComponent(bridged)}`, { visibility: 'public' }))).toMatch(/403.*M_FORBIDDEN/);
    const network = await api<{ chunk: Array<Record<string, unknown>> }>(alice.accessToken, 'POST', '/publicRooms', { third_party_instance_id: 'plain|gs' });
    expect(network.chunk.map((room) => room['room_id'])).toEqual([bridged]);
    const publicOnly = await api<{ chunk: Array<Record<string, unknown>> }>(alice.accessToken, 'POST', '/publicRooms', {});
    expect(publicOnly.chunk.map((room) => room['room_id'])).not.toContain(bridged);
    const everything = await api<{ chunk: Array<Record<string, unknown>> }>(alice.accessToken, 'POST', '/publicRooms', { include_all_networks: true });
    expect(everything.chunk.map((room) => room['room_id'])).toContain(bridged);
    // An unknown user of the namespace: the appservice is asked before the 404.
    expect(await errorOf(api(alice.accessToken, 'GET', `/profile/${encodeURIComponent(`@plain_ghost:${SERVER}`)}`))).toMatch(/404/);
    expect(plain.queries).toContain(`GET /_matrix/app/v1/users/${encodeURIComponent(`@plain_ghost:${SERVER}`)}`);
  });

  it('sends typing and read receipts in rooms of its users to an appservice with receive_ephemeral', async () => {
    const { room_id: roomId } = await api<{ room_id: string }>(alice.accessToken, 'POST', '/createRoom', { preset: 'public_chat' });
    await api(PLAIN.asToken, 'POST', `/join/${encodeURIComponent(roomId)}?user_id=${encodeURIComponent(`@plain_bob:${SERVER}`)}`, {});
    const { event_id: eventId } = await api<{ event_id: string }>(alice.accessToken, 'PUT', `/rooms/${encodeURIComponent(roomId)}/send/m.room.message/t${++txn}`, { msgtype: 'm.text', body: 'read me' });
    await api(alice.accessToken, 'PUT', `/rooms/${encodeURIComponent(roomId)}/typing/${encodeURIComponent(alice.userId)}`, { typing: true, timeout: 30_000 });
    await api(alice.accessToken, 'POST', `/rooms/${encodeURIComponent(roomId)}/receipt/m.read/${encodeURIComponent(eventId)}`, {});
    const ephemeral = () => plain.transactions.flatMap((t) => t.ephemeral).filter((edu) => edu['room_id'] === roomId);
    await plain.waitFor(() => ephemeral().some((edu) => edu['type'] === 'm.typing') && ephemeral().some((edu) => edu['type'] === 'm.receipt'), 60_000);
    expect(ephemeral().find((edu) => edu['type'] === 'm.typing')).toEqual({ type: 'm.typing', room_id: roomId, content: { user_ids: [alice.userId] } });
    expect(ephemeral().find((edu) => edu['type'] === 'm.receipt')).toMatchObject({ room_id: roomId, content: { [eventId]: { 'm.read': { [alice.userId]: { ts: expect.any(Number) } } } } });
    // The bridge registered without receive_ephemeral gets none.
    expect(bridgeEvents.some((event) => event['type'] === 'm.typing' || event['type'] === 'm.receipt')).toBe(false);
  });

  it('sends an appservice that was down what it missed, in order and once, across a restart', async () => {
    const { room_id: roomId } = await api<{ room_id: string }>(alice.accessToken, 'POST', '/createRoom', { preset: 'public_chat' });
    await api(PLAIN.asToken, 'POST', `/join/${encodeURIComponent(roomId)}?user_id=${encodeURIComponent(`@plain_bob:${SERVER}`)}`, {});
    plain.setDown(true);
    const sent: string[] = [];
    const send = async (body: string) => sent.push((await api<{ event_id: string }>(alice.accessToken, 'PUT', `/rooms/${encodeURIComponent(roomId)}/send/m.room.message/t${++txn}`, { msgtype: 'm.text', body })).event_id);
    for (let i = 0; i < 5; i++) await send(`missed ${i}`);
    // Restart the homeserver while the appservice is still down; then more messages.
    await hs.stop();
    await startHomeserver();
    for (let i = 5; i < 8; i++) await send(`missed ${i}`);
    plain.setDown(false);
    const ofRoom = () => plain.events().filter((event) => event['room_id'] === roomId && event['type'] === 'm.room.message');
    await plain.waitFor(() => ofRoom().length >= sent.length, 60_000);
    expect(ofRoom().map((event) => event['event_id'])).toEqual(sent);
    // Transaction IDs were never reused for different contents: each accepted once.
    expect(new Set(plain.transactions.map((t) => t.txnId)).size).toBe(plain.transactions.length);
    expect(ofRoom()[0]).toMatchObject({ sender: alice.userId, content: { body: 'missed 0' }, room_id: roomId });
    expect(plain.unauthorised).toBe(0);
  });
});
