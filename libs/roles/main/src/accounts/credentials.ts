// Minting access/refresh tokens and devices for register, login and refresh. Tokens are random
// (256 bits); only their SHA-256 is stored. A new device is a device-list change.
import { randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { hashToken, recordDeviceListChanges } from '@homeserver/services';
import { insertAccessToken, insertRefreshToken, upsertDevice, type Queryable } from '@homeserver/storage';

export const DEFAULT_ACCESS_TOKEN_LIFETIME_MS = 5 * 60_000;

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function base62(value: bigint, width: number): string {
  let out = '';
  for (let rest = value; rest > 0n; rest /= 62n) out = BASE62[Number(rest % 62n)] + out;
  return out.padStart(width, '0');
}

/**
 * A token shaped like Synapse's (`syt_<base64 localpart>_<random>_<crc32>`): reverse proxies
 * hash /sync by the localpart it carries (tools/proxy-config), and the checksum tells a
 * mistyped token from a revoked one in logs. The random part is 256 bits, base62.
 */
export function newToken(kind: 'access' | 'refresh', userId: string): string {
  const prefix = kind === 'access' ? 'syt' : 'syr';
  // Localparts never contain ':' (any grammar), so the first one ends it.
  const owner = Buffer.from(userId.slice(1, userId.indexOf(':')), 'utf8').toString('base64').replace(/=+$/, '');
  const random = base62(BigInt(`0x${randomBytes(32).toString('hex')}`), 43);
  const body = `${prefix}_${owner}_${random}`;
  return `${body}_${base62(BigInt(crc32(body)), 6)}`;
}

/** A device ID like Synapse's: ten upper-case letters. */
export function newDeviceId(): string {
  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  return [...randomBytes(10)].map((b) => letters[b % 26]).join('');
}

export interface IssuedSession {
  readonly user_id: string;
  readonly access_token: string;
  readonly device_id: string;
  readonly refresh_token?: string;
  readonly expires_in_ms?: number;
}

export interface IssueSessionOptions {
  readonly deviceId?: string | undefined;
  readonly displayName?: string | undefined;
  /** Issue a refresh token and an expiring access token. Default: false. */
  readonly refresh?: boolean;
  readonly now: number;
  readonly lifetimeMs?: number;
  readonly ip?: string | undefined;
}

/**
 * Creates (or reuses) the device and mints its tokens, inside the caller's transaction
 * (DeviceListWrites.write, which has the device-list change it queues published). Only a new
 * device is a change (as Synapse: logging in again with an existing device_id tells nobody).
 */
export async function issueSession(tx: Queryable, userId: string, options: IssueSessionOptions): Promise<IssuedSession> {
  const deviceId = options.deviceId ?? newDeviceId();
  if (await upsertDevice(tx, { userId, deviceId, displayName: options.displayName, createdTs: options.now, ip: options.ip })) {
    await recordDeviceListChanges(tx, { userId, deviceIds: [deviceId] });
  }
  return mintTokens(tx, userId, deviceId, options);
}

/** Mints an access token (and refresh token when asked) for an existing device. */
export async function mintTokens(
  tx: Queryable,
  userId: string,
  deviceId: string,
  options: { refresh?: boolean; now: number; lifetimeMs?: number },
): Promise<IssuedSession & { refreshTokenId?: number }> {
  const accessToken = newToken('access', userId);
  if (options.refresh !== true) {
    await insertAccessToken(tx, { tokenHash: hashToken(accessToken), userId, deviceId, validUntilMs: null, refreshTokenId: null, createdTs: options.now });
    return { user_id: userId, access_token: accessToken, device_id: deviceId };
  }
  const lifetime = options.lifetimeMs ?? DEFAULT_ACCESS_TOKEN_LIFETIME_MS;
  const refreshToken = newToken('refresh', userId);
  const refreshTokenId = await insertRefreshToken(tx, { tokenHash: hashToken(refreshToken), userId, deviceId, createdTs: options.now });
  await insertAccessToken(tx, {
    tokenHash: hashToken(accessToken),
    userId,
    deviceId,
    validUntilMs: options.now + lifetime,
    refreshTokenId,
    createdTs: options.now,
  });
  return { user_id: userId, access_token: accessToken, device_id: deviceId, refresh_token: refreshToken, expires_in_ms: lifetime, refreshTokenId };
}
