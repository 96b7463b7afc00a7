// The role module of the stream writers: hosts the writers of the streams `stream_writers`
// names this process for, as a module of `role` (the role of whichever app the process is:
// main, or a sync worker named as a writer). A process named for none hosts nothing.
import type { RoleModule } from '@homeserver/services';
import { streamWritersOf, writesStream } from '@homeserver/services';
import { hostStreamWriters, WRITER_STREAMS } from './actors/host-writers.ts';

export function createStreamWritersRole(role: 'main' | 'sync'): RoleModule {
  return {
    role,
    async start(ctx) {
      const streams = new Set(WRITER_STREAMS.filter((stream) => writesStream(ctx.config, stream)));
      if (streams.size > 0) ctx.logger.info({ streams: [...streams] }, 'hosting stream writers');
      const hosted = await hostStreamWriters({ db: ctx.db, transport: ctx.transport, actors: ctx.actors, instanceName: ctx.instanceName, streams, clock: ctx.clock, logger: ctx.logger, writersOf: (stream) => streamWritersOf(ctx.config, stream) });
      return { stop: () => hosted.stop() };
    },
  };
}
