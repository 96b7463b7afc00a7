// @homeserver/services/e2ee: end-to-end encryption keys: our users' device and cross-signing keys,
// and the cache of other servers' users' device lists.
export type { CrossSigningQueryResult, LocalDeviceKeysOptions } from './local-e2e-keys.ts';
export { claimLocalKeys, localDeviceKeys, storedCrossSigningKeys } from './local-e2e-keys.ts';
export type { RemoteDeviceListHandler, RemoteDeviceLists, RemoteDeviceUpdate, RemoteSigningKeyUpdate } from './remote-device-lists.ts';
export { REMOTE_DEVICE_LIST_KIND, remoteDeviceLists } from './remote-device-lists.ts';
