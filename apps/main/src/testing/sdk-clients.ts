// matrix-js-sdk clients for integration tests: register (UIA with m.login.dummy) or log in,
// every request going through the spec-checking fetch.
import { createClient, MatrixError, type ICreateClientOpts, type MatrixClient } from 'matrix-js-sdk';
import { logger as sdkGlobalLogger } from 'matrix-js-sdk/lib/logger.js';
import type { SpecCheckedFetch } from './spec-checked-fetch.ts';

type Logger = NonNullable<ICreateClientOpts['logger']>;

const noop = (): void => undefined;
/** The SDK logs every sync and request to the console; the tests assert what matters instead. */
export const silentLogger: Logger = { trace: noop, debug: noop, info: noop, warn: noop, error: noop, getChild: () => silentLogger };
// Parts of the SDK (its request scheduler) log through a module-level loglevel logger instead.
(sdkGlobalLogger as unknown as { setLevel(level: string): void }).setLevel('silent');

export interface SdkUser {
  readonly userId: string;
  readonly password: string;
  readonly client: MatrixClient;
}

export interface ClientOptions {
  readonly baseUrl: string;
  readonly fetcher: SpecCheckedFetch;
}

function anonymousClient(options: ClientOptions): MatrixClient {
  return createClient({ baseUrl: options.baseUrl, fetchFn: options.fetcher.fetch, logger: silentLogger });
}

function authedClient(options: ClientOptions, creds: { userId: string; accessToken: string; deviceId: string }): MatrixClient {
  return createClient({ baseUrl: options.baseUrl, fetchFn: options.fetcher.fetch, logger: silentLogger, ...creds });
}

/** Registers through the user-interactive flow a real client follows: ask, get a session, answer with m.login.dummy. */
export async function registerUser(localpart: string, options: ClientOptions): Promise<SdkUser> {
  const anonymous = anonymousClient(options);
  const password = `pw-${localpart}-secret`;
  let session: string | undefined;
  try {
    await anonymous.registerRequest({ username: localpart, password });
    throw new Error(`registering ${localpart}: the server skipped user-interactive auth`);
  } catch (error) {
    if (!(error instanceof MatrixError) || error.httpStatus !== 401) throw error;
    const flows = (error.data as { flows?: { stages: string[] }[] }).flows ?? [];
    if (!flows.some((f) => f.stages.length === 1 && f.stages[0] === 'm.login.dummy')) {
      throw new Error(`registering ${localpart}: no m.login.dummy flow offered: ${JSON.stringify(error.data)}`, { cause: error });
    }
    session = (error.data as { session?: string }).session;
  }
  const registered = await anonymous.registerRequest({ username: localpart, password, auth: { type: 'm.login.dummy', session } });
  if (!registered.access_token || !registered.device_id) throw new Error(`registering ${localpart}: no access token or device id in ${JSON.stringify(registered)}`);
  return {
    userId: registered.user_id,
    password,
    client: authedClient(options, { userId: registered.user_id, accessToken: registered.access_token, deviceId: registered.device_id }),
  };
}

/** Logs in with the password (a second device), the way `loginRequest` callers do. */
export async function loginUser(userId: string, password: string, options: ClientOptions): Promise<SdkUser> {
  const anonymous = anonymousClient(options);
  const login = await anonymous.loginRequest({ type: 'm.login.password', identifier: { type: 'm.id.user', user: userId }, password });
  return { userId: login.user_id, password, client: authedClient(options, { userId: login.user_id, accessToken: login.access_token, deviceId: login.device_id }) };
}
