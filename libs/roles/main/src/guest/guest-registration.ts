// POST /register?kind=guest (Synapse's allow_guest_access): a guest account with a generated
// numeric localpart (its display name), one device named `guest_device` as Synapse names it,
// and a non-expiring access token. Guests never choose a user ID, password or device ID; what
// their token may do is limited by AccessTokenAuth (guest-access.ts in @homeserver/services)
// and the join check (guest-join.ts).
import { randomInt } from 'node:crypto';
import { MatrixError } from '@homeserver/http';
import { hashToken } from '@homeserver/services';
import { insertUser, lookupAccessToken } from '@homeserver/storage';
import type { AccountsDeps } from '../accounts/accounts-deps.ts';
import { issueSession } from '../accounts/credentials.ts';

/** The device ID every guest gets (Synapse's GUEST_DEVICE_ID). */
export const GUEST_DEVICE_ID = 'guest_device';

export interface GuestRegistrationOptions {
  readonly initialDeviceDisplayName?: string | undefined;
  readonly ip: string;
}

/** Registers a guest: 403 M_GUEST_ACCESS_FORBIDDEN unless allow_guest_access is on. */
export async function registerGuest(deps: AccountsDeps, options: GuestRegistrationOptions): Promise<Record<string, unknown>> {
  const { settings, clock, deviceLists } = deps;
  if (settings.allowGuestAccess !== true) throw new MatrixError(403, 'M_GUEST_ACCESS_FORBIDDEN', 'Guest access is disabled');
  const now = clock.now();
  // Numeric localparts as Synapse generates for guests; a taken one (unlikely) is retried.
  for (let attempt = 0; attempt < 10; attempt++) {
    const localpart = String(randomInt(1, 2 ** 47));
    const userId = `@${localpart}:${settings.serverName}`;
    const { value } = await deviceLists.write(async (tx) => {
      if (!(await insertUser(tx, { userId, passwordHash: null, createdTs: now, displayname: localpart, isGuest: true }))) return undefined;
      const session = await issueSession(tx, userId, {
        deviceId: GUEST_DEVICE_ID,
        displayName: options.initialDeviceDisplayName,
        now,
        ip: options.ip,
      });
      return { user_id: session.user_id, access_token: session.access_token, device_id: session.device_id };
    });
    if (value !== undefined) return value;
  }
  throw new MatrixError(500, 'M_UNKNOWN', 'could not find a free guest user ID');
}

/**
 * Registration of a taken user ID with `guest_access_token` upgrades that guest (as Synapse):
 * the token must be a guest's, and the guest's own user ID must be the one asked for. Anything
 * else is 403, as Synapse answers.
 */
export async function checkGuestUpgrade(deps: AccountsDeps, userId: string, guestAccessToken: string): Promise<void> {
  const token = await lookupAccessToken(deps.db, hashToken(guestAccessToken));
  if (token === undefined || !token.isGuest || token.userId !== userId) {
    throw new MatrixError(403, 'M_FORBIDDEN', 'Cannot register taken user ID without valid guest credentials for that user.');
  }
}
