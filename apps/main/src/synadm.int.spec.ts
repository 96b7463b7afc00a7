// synadm, the admin CLI Synapse admins use, against this server: installed from PyPI into a venv
// the test makes, configured with an admin's token, it lists users, shows one, lists rooms,
// shows a room and its members, deactivates a user, resets a password and shows the server
// version. Every command's JSON output is parsed and checked against the server's state.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http, login, registerAdmin, registerUser, type TestUser } from './testing/admin-http.ts';
import { ensureSynadm } from './testing/synadm-venv.ts';
import { startTestHomeserver, type TestHomeserver } from './testing/test-homeserver.ts';

const execFileAsync = promisify(execFile);
const SECRET = 'synadm-test-secret';
const SERVER = 'synadm.test';

describe('synadm against this server', () => {
  let server: TestHomeserver;
  let synadm: string;
  let dir: string;
  let admin: TestUser;
  let alice: TestUser;
  let bob: TestUser;
  let roomId: string;

  /** Runs synadm non-interactively with minified JSON output; returns each JSON document it printed. */
  async function synadmJson(...args: string[]): Promise<Array<Record<string, unknown>>> {
    const { stdout } = await execFileAsync(synadm, ['-c', join(dir, 'synadm.yaml'), '--batch', '-o', 'minified', ...args], { timeout: 60_000 });
    return stdout
      .split('\n')
      .filter((line) => line.startsWith('{') || line.startsWith('['))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  }

  beforeAll(async () => {
    [synadm, server] = await Promise.all([ensureSynadm(), startTestHomeserver('pglite', { serverName: SERVER, extra: { registration_shared_secret: SECRET } })]);
    admin = await registerAdmin(server.baseUrl, SECRET, 'synadmin');
    alice = await registerUser(server.baseUrl, 'alice', 'alice-pw');
    bob = await registerUser(server.baseUrl, 'bob', 'bob-pw');
    roomId = String((await http(server.baseUrl, 'POST', '/_matrix/client/v3/createRoom', { token: alice.accessToken, body: { name: 'synadm room', preset: 'public_chat' } })).body['room_id']);
    await http(server.baseUrl, 'POST', `/_matrix/client/v3/join/${encodeURIComponent(roomId)}`, { token: bob.accessToken, body: {} });
    dir = await mkdtemp(join(tmpdir(), 'hs-synadm-'));
    // synadm's own config keys; the server name is given, so no discovery request is made.
    const config = {
      user: admin.userId,
      token: admin.accessToken,
      protocol: 'http',
      base_url: server.baseUrl,
      admin_path: '/_synapse/admin',
      matrix_path: '/_matrix',
      format: 'json',
      timeout: 30,
      server_discovery: 'well-known',
      homeserver: SERVER,
      ssl_verify: false,
    };
    await writeFile(join(dir, 'synadm.yaml'), JSON.stringify(config));
  }, 900_000);

  afterAll(async () => {
    await server?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('shows the server version', async () => {
    const [version] = await synadmJson('version');
    expect(typeof version!['server_version']).toBe('string');
  });

  it('lists users and shows one', async () => {
    const [list] = await synadmJson('user', 'list');
    const names = (list!['users'] as Array<Record<string, unknown>>).map((u) => u['name']);
    expect(names).toEqual(expect.arrayContaining([admin.userId, alice.userId, bob.userId]));
    expect(list!['total']).toBe(3);
    const [details] = await synadmJson('user', 'details', alice.userId);
    expect(details).toMatchObject({ name: alice.userId, admin: false, deactivated: false, displayname: 'alice' });
  });

  it('lists rooms, shows one and its members', async () => {
    const [rooms] = await synadmJson('room', 'list');
    expect(rooms!['total_rooms']).toBe(1);
    expect((rooms!['rooms'] as Array<Record<string, unknown>>)[0]).toMatchObject({ room_id: roomId, name: 'synadm room', joined_members: 2 });
    const [details] = await synadmJson('room', 'details', roomId);
    expect(details).toMatchObject({ room_id: roomId, name: 'synadm room', creator: alice.userId });
    const [members] = await synadmJson('room', 'members', roomId);
    expect(members).toEqual({ members: [alice.userId, bob.userId].sort(), total: 2 });
  });

  it('resets a password', async () => {
    const [result] = await synadmJson('user', 'password', alice.userId, '-p', 'alice-new-pw');
    expect(result).toEqual({});
    expect((await login(server.baseUrl, 'alice', 'alice-pw')).status).toBe(403);
    expect((await login(server.baseUrl, 'alice', 'alice-new-pw')).status).toBe(200);
  });

  it('deactivates a user', async () => {
    const documents = await synadmJson('user', 'deactivate', bob.userId);
    // synadm prints the user's details and rooms before deactivating, then the result.
    expect(documents[0]).toMatchObject({ name: bob.userId, deactivated: false });
    expect(documents.at(-1)).toEqual({ id_server_unbind_result: 'success' });
    expect((await http(server.baseUrl, 'GET', '/_matrix/client/v3/account/whoami', { token: bob.accessToken })).status).toBe(401);
    const [details] = await synadmJson('user', 'details', bob.userId);
    expect(details!['deactivated']).toBe(true);
    const [members] = await synadmJson('room', 'members', roomId);
    expect(members).toEqual({ members: [alice.userId], total: 1 });
  });
});
