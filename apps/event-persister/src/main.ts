// The event-persister app: hosts the room persister actors placement gives this instance.
import { launchApp } from '@homeserver/runtime/launch';

await launchApp('event-persister', async () => [(await import('@homeserver/role-event-persister')).eventPersisterRole]);
