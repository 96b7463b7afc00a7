// The media app: loads its config and hosts the media role.
import { runApp } from '@homeserver/runtime';

await runApp('media', []);
