// Keeps the remote device list cache to the users it may track: when a remote user leaves a
// room, or one of ours leaves a room with remote members we cache, those users' actors check
// whether they still share a room with ours, and drop the cache if not (their server stops
// sending us their updates then; a later rejoin starts from a fresh /user/devices). Reads the
// events stream under a durable checkpoint, so leaves while this process was down count too.
import { eventsStream, type RemoteDeviceLists } from '@homeserver/services';
import { cachedRemoteUsersInRoom, type Database, type EventStreamRow, type Queryable } from '@homeserver/storage';
import { StreamReader, type StreamLogger, type StreamRecord } from '@homeserver/streams';
import type { Transport } from '@homeserver/transport';
import { serverOfUser } from './remote-e2e-keys.ts';

export interface MembershipConsumerOptions {
  readonly db: Database;
  readonly transport: Transport;
  /** The events stream's writers (event_persister_instances). */
  readonly writers: readonly string[];
  readonly serverName: string;
  readonly lists: RemoteDeviceLists;
  readonly logger: StreamLogger;
}

/** The remote users whose tracking a batch of events may have ended. */
export async function usersToRecheck(db: Queryable, serverName: string, records: readonly StreamRecord<EventStreamRow>[]): Promise<Set<string>> {
  const users = new Set<string>();
  for (const { data: event } of records) {
    if (event.type !== 'm.room.member' || event.stateKey === undefined || (event.membership !== 'leave' && event.membership !== 'ban')) continue;
    if (serverOfUser(event.stateKey) !== serverName) users.add(event.stateKey);
    else for (const userId of await cachedRemoteUsersInRoom(db, event.roomId)) users.add(userId);
  }
  return users;
}

export function startMembershipConsumer(options: MembershipConsumerOptions): Promise<StreamReader<EventStreamRow>> {
  return StreamReader.start(options.db, options.transport, eventsStream, {
    writers: options.writers,
    checkpoint: 'remote-device-lists',
    // Only leaves and bans (what usersToRecheck looks at): other events cost this process no
    // message, and no transaction to store the position past them.
    view: 'leaves',
    logger: options.logger,
    // The delivery runs in the checkpoint's transaction: read through it (on PGlite's one
    // connection a read through the pool would wait for that very transaction), and ask the
    // actors, which read and write on their own, once it committed.
    deliver: async (records, context) => {
      const users = await usersToRecheck(context.tx ?? options.db, options.serverName, records);
      context.onCommit(() => {
        for (const userId of users) void options.lists.recheck(userId).catch((error: unknown) => options.logger.warn({ err: error, userId }, 'remote device list recheck failed'));
      });
    },
  });
}
