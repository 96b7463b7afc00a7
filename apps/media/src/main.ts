// The media app: loads its config and hosts the media role (uploads, downloads, thumbnails and,
// when it holds the lease, the media background jobs).
import { launchApp } from '@homeserver/runtime/launch';

await launchApp('media', async () => {
  const [{ createMediaRole }, { createAppserviceNotifierModule }] = await Promise.all([import('@homeserver/role-media'), import('@homeserver/role-appservice')]);
  return [createMediaRole(), createAppserviceNotifierModule('media')];
});
