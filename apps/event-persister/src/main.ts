// The event-persister app: loads its config and hosts the event-persister role.
import { runApp } from '@homeserver/runtime';

await runApp('event-persister', []);
