// The client side of Synapse's shared-secret registration: fetch a nonce from
// GET /_synapse/admin/v1/register, then POST the user with the HMAC of nonce, name, password
// and admin flag under registration_shared_secret. Used by the register command and tests.
import { sharedSecretMac } from '@homeserver/matrix';

export interface SharedSecretUser {
  readonly username: string;
  readonly password: string;
  /** Default: false. */
  readonly admin?: boolean;
  /** Synapse's user types (`bot`, `support`). Default: none. */
  readonly userType?: string;
}

export interface RegisteredUser {
  readonly user_id: string;
  readonly access_token: string;
  readonly device_id: string;
  readonly home_server: string;
}

/** A failed registration: the server's Matrix error (or the HTTP failure) in a sentence. */
export class RegistrationError extends Error {
  override name = 'RegistrationError';
  readonly errcode: string | undefined;
  constructor(message: string, errcode?: string) {
    super(message);
    this.errcode = errcode;
  }
}

async function requestJson(url: string, init: RequestInit): Promise<Record<string, unknown>> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, signal: AbortSignal.timeout(30_000) });
  } catch (error) {
    throw new RegistrationError(`cannot reach ${url}: ${(error as Error).message}`);
  }
  const text = await response.text();
  let body: Record<string, unknown> = {};
  try {
    body = text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
  } catch {
    throw new RegistrationError(`${url} answered ${response.status} with a body that is not JSON`);
  }
  if (!response.ok) {
    const errcode = typeof body['errcode'] === 'string' ? body['errcode'] : undefined;
    throw new RegistrationError(`${url} answered ${response.status}${errcode ? ` ${errcode}` : ''}: ${String(body['error'] ?? text)}`, errcode);
  }
  return body;
}

export async function registerWithSharedSecret(serverUrl: string, secret: string, user: SharedSecretUser): Promise<RegisteredUser> {
  const url = `${serverUrl.replace(/\/+$/, '')}/_synapse/admin/v1/register`;
  const { nonce } = await requestJson(url, { method: 'GET' });
  if (typeof nonce !== 'string') throw new RegistrationError(`${url} gave no nonce`);
  const fields = { nonce, username: user.username, password: user.password, admin: user.admin === true, ...(user.userType === undefined ? {} : { user_type: user.userType }) };
  const mac = sharedSecretMac(secret, fields).toString('hex');
  const body = await requestJson(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...fields, mac }) });
  return body as unknown as RegisteredUser;
}
