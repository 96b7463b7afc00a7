// The MAC of Synapse's shared-secret registration (/_synapse/admin/v1/register): HMAC-SHA1 under
// registration_shared_secret over nonce, username, password and "admin"/"notadmin" (and the user
// type when given), NUL-separated. The server checks it; register_new_matrix_user computes it.
import { createHmac } from 'node:crypto';

export interface SharedSecretRegistration {
  readonly nonce: string;
  readonly username: string;
  readonly password: string;
  /** Default: false. */
  readonly admin?: boolean;
  /** Default: none. */
  readonly user_type?: string | null;
}

export function sharedSecretMac(secret: string, body: SharedSecretRegistration): Buffer {
  const hmac = createHmac('sha1', secret);
  hmac.update(body.nonce).update('\x00').update(body.username).update('\x00').update(body.password).update('\x00');
  hmac.update(body.admin === true ? 'admin' : 'notadmin');
  if (typeof body.user_type === 'string') hmac.update('\x00').update(body.user_type);
  return hmac.digest();
}
