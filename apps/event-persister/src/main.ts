// The event-persister app: hosts the room persister actors placement gives this instance.
import { eventPersisterRole } from '@homeserver/role-event-persister';
import { runApp } from '@homeserver/runtime';

await runApp('event-persister', [eventPersisterRole]);
