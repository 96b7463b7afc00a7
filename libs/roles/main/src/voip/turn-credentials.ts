// TURN credentials as Synapse hands them out: with a shared secret, the TURN REST API's
// time-limited pair (username `<expiry seconds>:<user_id>`, password the standard padded
// base64 of HMAC-SHA1(secret, username)), which coturn's `use-auth-secret` verifies; without
// one, the configured static username and password. Nothing configured: no credentials.
import { createHmac } from 'node:crypto';
import type { VoipConfig } from '@homeserver/config';

/** The `turn_*` settings of the homeserver config. */
export type TurnSettings = VoipConfig;

export interface TurnCredentials {
  readonly username: string;
  readonly password: string;
  readonly uris: readonly string[];
  /** Seconds the credentials stay valid. */
  readonly ttl: number;
}

/** Credentials for `userId` at `now` (ms), or undefined when TURN is not configured. */
export function turnCredentials(settings: TurnSettings, options: { readonly userId: string; readonly now: number }): TurnCredentials | undefined {
  const { turnUris: uris, turnUserLifetimeMs: lifetime } = settings;
  if (uris.length === 0 || lifetime <= 0) return undefined;
  const ttl = Math.floor(lifetime / 1000);
  if (settings.turnSharedSecret) {
    const username = `${Math.floor((options.now + lifetime) / 1000)}:${options.userId}`;
    const password = createHmac('sha1', settings.turnSharedSecret).update(username).digest('base64');
    return { username, password, uris, ttl };
  }
  if (settings.turnUsername && settings.turnPassword) return { username: settings.turnUsername, password: settings.turnPassword, uris, ttl };
  return undefined;
}
