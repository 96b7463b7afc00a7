// Plain HTTP for admin API tests: JSON requests with an optional token, users registered through
// /register (m.login.dummy) or through the shared secret (admins).
import { sharedSecretMac } from '@homeserver/matrix';
import { startTestHomeserver, type TestHomeserver } from './test-homeserver.ts';

export interface HttpAnswer<T = Record<string, unknown>> {
  readonly status: number;
  readonly body: T;
}

export async function http<T = Record<string, unknown>>(baseUrl: string, method: string, path: string, options: { token?: string; body?: unknown } = {}): Promise<HttpAnswer<T>> {
  const headers: Record<string, string> = {};
  if (options.token !== undefined) headers['authorization'] = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${baseUrl}${path}`, { method, headers, ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }), signal: AbortSignal.timeout(60_000) });
  const text = await response.text();
  return { status: response.status, body: (text === '' ? {} : JSON.parse(text)) as T };
}

export interface TestUser {
  readonly userId: string;
  readonly accessToken: string;
  readonly deviceId: string;
}

export async function registerUser(baseUrl: string, username: string, password = 'user-pw'): Promise<TestUser> {
  const first = await http(baseUrl, 'POST', '/_matrix/client/v3/register', { body: { username, password } });
  const done = await http(baseUrl, 'POST', '/_matrix/client/v3/register', { body: { username, password, auth: { type: 'm.login.dummy', session: first.body['session'] } } });
  if (done.status !== 200) throw new Error(`registering ${username}: ${done.status} ${JSON.stringify(done.body)}`);
  return { userId: String(done.body['user_id']), accessToken: String(done.body['access_token']), deviceId: String(done.body['device_id']) };
}

export async function registerAdmin(baseUrl: string, secret: string, username: string, password = 'admin-pw'): Promise<TestUser> {
  const { body } = await http(baseUrl, 'GET', '/_synapse/admin/v1/register');
  const fields = { nonce: String(body['nonce']), username, password, admin: true };
  const done = await http(baseUrl, 'POST', '/_synapse/admin/v1/register', { body: { ...fields, mac: sharedSecretMac(secret, fields).toString('hex') } });
  if (done.status !== 200) throw new Error(`registering admin ${username}: ${done.status} ${JSON.stringify(done.body)}`);
  return { userId: String(done.body['user_id']), accessToken: String(done.body['access_token']), deviceId: String(done.body['device_id']) };
}

export async function login(baseUrl: string, user: string, password: string): Promise<HttpAnswer> {
  return http(baseUrl, 'POST', '/_matrix/client/v3/login', { body: { type: 'm.login.password', identifier: { type: 'm.id.user', user }, password } });
}

export interface AdminTestbed {
  readonly server: TestHomeserver;
  readonly base: string;
  /** A server admin registered through the shared secret. */
  readonly admin: TestUser;
  /** The named ordinary users, registered through /register. */
  readonly users: Readonly<Record<string, TestUser>>;
  /** A JSON request to `path` with `user`'s token. */
  as(user: TestUser, method: string, path: string, body?: unknown): Promise<HttpAnswer>;
}

/** The monolith on PGlite with a shared secret, an admin `root` and the named ordinary users. */
export async function startAdminTestbed(options: { serverName: string; users?: readonly string[]; extra?: Record<string, unknown> }): Promise<AdminTestbed> {
  const secret = `${options.serverName}-shared-secret`;
  const server = await startTestHomeserver('pglite', { serverName: options.serverName, extra: { registration_shared_secret: secret, ...options.extra } });
  const base = server.baseUrl;
  const admin = await registerAdmin(base, secret, 'root');
  const users: Record<string, TestUser> = {};
  for (const name of options.users ?? []) users[name] = await registerUser(base, name);
  return { server, base, admin, users, as: (user, method, path, body) => http(base, method, path, { token: user.accessToken, ...(body === undefined ? {} : { body }) }) };
}
