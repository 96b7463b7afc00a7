// The event-persister role: hosts the `room` actors of the rooms placement gives this instance
// and the `events` stream writer they persist through.
import type { RoleModule, RunningRole, ServerContext } from '@homeserver/services';
import { eventsStream } from '@homeserver/services';
import { StreamWriter } from '@homeserver/streams';
import { roomActorDefinition } from './room-actor.ts';

export const eventPersisterRole: RoleModule = {
  role: 'event-persister',
  async start(context: ServerContext): Promise<RunningRole> {
    const logger = context.logger.child({ role: 'event-persister' });
    const writer = await StreamWriter.start(context.db, context.transport, eventsStream, { instanceName: context.instanceName, writers: context.config.instances['event-persister'], logger });
    context.actors.host(
      roomActorDefinition({
        db: context.db,
        writer,
        serverName: context.serverName,
        signingKey: context.signingKey,
        lookupKey: context.federation.keys.lookupKey,
        now: () => context.clock.now(),
        onBatchCommitted: (roomId, events) => logger.debug({ roomId, events }, 'group commit'),
        logger,
      }),
    );
    return {
      stop: () => writer.close(),
    };
  },
};
