// The account changes a user and an admin can both make: deactivation (devices, tokens, account
// data and the profile gone, every room left through the room actors) and a new password
// (optionally logging other devices out). One implementation for /account/* and the admin API.
import { recordDeviceListChanges, type DeviceListWrites } from '@homeserver/services';
import { deleteAccountDataOfUser, deleteDevices, deleteUserTokens, listDevices, markUserDeactivated, setPasswordHash } from '@homeserver/storage';
import type { Logger } from 'pino';
import type { AccountRoomHooks } from './accounts-deps.ts';

export interface LifecycleDeps {
  readonly deviceLists: DeviceListWrites;
  readonly rooms?: AccountRoomHooks | undefined;
  readonly logger: Logger;
}

/** Deactivates the account, then leaves its rooms (failures to leave are logged, not fatal). */
export async function deactivateAccount(deps: LifecycleDeps, userId: string): Promise<void> {
  await deps.deviceLists.write(async (tx) => {
    const devices = await listDevices(tx, userId);
    const deleted = await deleteDevices(tx, userId, devices.map((d) => d.deviceId));
    await recordDeviceListChanges(tx, { userId, deviceIds: deleted });
    await deleteUserTokens(tx, userId);
    await markUserDeactivated(tx, userId);
    await deleteAccountDataOfUser(tx, userId);
  });
  if (deps.rooms !== undefined) {
    await deps.rooms.leaveAllRooms(userId).catch((error: unknown) => deps.logger.warn({ err: error, user_id: userId }, 'leaving rooms after deactivation failed'));
  }
}

export interface SetPasswordOptions {
  /** Log out every other device (and token). Default: true. */
  readonly logoutDevices?: boolean;
  /** The session to keep when logging out (the requester's own); none for an admin reset. */
  readonly keep?: { readonly deviceId: string; readonly accessTokenId: number };
}

export async function setPassword(deps: LifecycleDeps, userId: string, passwordHash: string, options: SetPasswordOptions = {}): Promise<void> {
  await deps.deviceLists.write(async (tx) => {
    await setPasswordHash(tx, userId, passwordHash);
    if (options.logoutDevices === false) return;
    const others = (await listDevices(tx, userId)).map((d) => d.deviceId).filter((id) => id !== options.keep?.deviceId);
    const deleted = await deleteDevices(tx, userId, others);
    await recordDeviceListChanges(tx, { userId, deviceIds: deleted });
    await deleteUserTokens(tx, userId, options.keep === undefined ? {} : { exceptTokenId: options.keep.accessTokenId, exceptDeviceId: options.keep.deviceId });
  });
}
