// The media app: loads its config and hosts the media role (uploads, downloads, thumbnails and,
// when it holds the lease, the media background jobs).
import { createMediaRole } from '@homeserver/role-media';
import { createAppserviceNotifierModule } from '@homeserver/role-appservice';
import { runApp } from '@homeserver/runtime';

await runApp('media', [createMediaRole(), createAppserviceNotifierModule('media')]);
