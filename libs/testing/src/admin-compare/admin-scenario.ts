// One scripted admin session, run the same way against Synapse (to record its answers) and
// against this server (to compare): an admin made through the shared secret, two users, a
// public room with an alias and a message, an event report, then the admin API calls an
// operator makes. Each answer is kept by name, with its status, for shape-by-shape comparison.
import { sharedSecretMac } from '@homeserver/matrix';

export interface ScenarioAnswer {
  readonly status: number;
  readonly body: unknown;
}

export type ScenarioAnswers = Record<string, ScenarioAnswer>;

async function call(baseUrl: string, method: string, path: string, options: { token?: string; body?: unknown } = {}): Promise<ScenarioAnswer> {
  const headers: Record<string, string> = {};
  if (options.token !== undefined) headers['authorization'] = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${baseUrl}${path}`, { method, headers, ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }), signal: AbortSignal.timeout(60_000) });
  const text = await response.text();
  return { status: response.status, body: text === '' ? {} : (JSON.parse(text) as unknown) };
}

function field(answer: ScenarioAnswer, name: string): string {
  const value = (answer.body as Record<string, unknown>)[name];
  if (typeof value !== 'string') throw new Error(`expected a string ${name} in ${JSON.stringify(answer)}`);
  return value;
}

async function register(baseUrl: string, username: string, password: string): Promise<{ userId: string; token: string }> {
  const first = await call(baseUrl, 'POST', '/_matrix/client/v3/register', { body: { username, password } });
  const done = await call(baseUrl, 'POST', '/_matrix/client/v3/register', { body: { username, password, auth: { type: 'm.login.dummy', session: (first.body as Record<string, unknown>)['session'] } } });
  return { userId: field(done, 'user_id'), token: field(done, 'access_token') };
}

/** Runs the session; `baseUrl` must be a fresh server with open registration and `secret`. */
export async function runAdminScenario(baseUrl: string, secret: string): Promise<ScenarioAnswers> {
  const enc = encodeURIComponent;
  const nonce = field(await call(baseUrl, 'GET', '/_synapse/admin/v1/register'), 'nonce');
  const fields = { nonce, username: 'root', password: 'root-password', admin: true };
  const adminAnswer = await call(baseUrl, 'POST', '/_synapse/admin/v1/register', { body: { ...fields, mac: sharedSecretMac(secret, fields).toString('hex') } });
  const admin = field(adminAnswer, 'access_token');
  const alice = await register(baseUrl, 'alice', 'alice-password');
  const bob = await register(baseUrl, 'bob', 'bob-password');
  const room = field(await call(baseUrl, 'POST', '/_matrix/client/v3/createRoom', { token: alice.token, body: { name: 'Compared', topic: 'a topic', preset: 'public_chat', visibility: 'public', room_alias_name: 'compared' } }), 'room_id');
  await call(baseUrl, 'POST', `/_matrix/client/v3/join/${enc(room)}`, { token: bob.token, body: {} });
  const event = field(await call(baseUrl, 'PUT', `/_matrix/client/v3/rooms/${enc(room)}/send/m.room.message/t1`, { token: alice.token, body: { msgtype: 'm.text', body: 'hello' } }), 'event_id');
  await call(baseUrl, 'POST', `/_matrix/client/v3/rooms/${enc(room)}/report/${enc(event)}`, { token: bob.token, body: { reason: 'spam', score: -100 } });

  const answers: ScenarioAnswers = {};
  const as = async (name: string, method: string, path: string, body?: unknown) => {
    answers[name] = await call(baseUrl, method, path, { token: admin, ...(body === undefined ? {} : { body }) });
    return answers[name]!;
  };
  answers['register (shared secret)'] = adminAnswer;
  answers['non-admin'] = await call(baseUrl, 'GET', '/_synapse/admin/v2/users', { token: alice.token });
  answers['no token'] = await call(baseUrl, 'GET', '/_synapse/admin/v2/users');
  await as('server_version', 'GET', '/_synapse/admin/v1/server_version');
  await as('users list', 'GET', '/_synapse/admin/v2/users?limit=2');
  await as('users list, name filter', 'GET', '/_synapse/admin/v2/users?name=ali');
  await as('user details', 'GET', `/_synapse/admin/v2/users/${enc(alice.userId)}`);
  await as('user create', 'PUT', `/_synapse/admin/v2/users/${enc(alice.userId.replace('alice', 'carol'))}`, { password: 'carol-password', displayname: 'Carol' });
  await as('user modify', 'PUT', `/_synapse/admin/v2/users/${enc(alice.userId.replace('alice', 'carol'))}`, { displayname: 'Carol C' });
  await as('user unknown', 'GET', `/_synapse/admin/v2/users/${enc(alice.userId.replace('alice', 'nobody'))}`);
  await as('joined_rooms', 'GET', `/_synapse/admin/v1/users/${enc(bob.userId)}/joined_rooms`);
  await as('devices', 'GET', `/_synapse/admin/v2/users/${enc(bob.userId)}/devices`);
  await as('username_available (taken)', 'GET', '/_synapse/admin/v1/username_available?username=alice');
  await as('username_available (free)', 'GET', '/_synapse/admin/v1/username_available?username=dave');
  await as('rooms list', 'GET', '/_synapse/admin/v1/rooms');
  await as('room details', 'GET', `/_synapse/admin/v1/rooms/${enc(room)}`);
  await as('room members', 'GET', `/_synapse/admin/v1/rooms/${enc(room)}/members`);
  await as('event reports', 'GET', '/_synapse/admin/v1/event_reports');
  await as('registration token new', 'POST', '/_synapse/admin/v1/registration_tokens/new', { token: 'compared', uses_allowed: 3 });
  await as('registration tokens', 'GET', '/_synapse/admin/v1/registration_tokens');
  await as('override_ratelimit set', 'POST', `/_synapse/admin/v1/users/${enc(alice.userId)}/override_ratelimit`, { messages_per_second: 0, burst_count: 0 });
  await as('reset_password', 'POST', `/_synapse/admin/v1/reset_password/${enc(alice.userId)}`, { new_password: 'alice-new-password' });
  await as('deactivate', 'POST', `/_synapse/admin/v1/deactivate/${enc(bob.userId)}`, { erase: true });
  await as('deactivated user details', 'GET', `/_synapse/admin/v2/users/${enc(bob.userId)}`);
  return answers;
}
