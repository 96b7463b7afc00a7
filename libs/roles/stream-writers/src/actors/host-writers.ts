// The writers of the ephemeral streams (typing, receipts, presence, to_device) that this process
// is named for in `stream_writers`, each with the actor kind every edge reaches it through.
// Hosted by a main or a sync process (the stream catalogue says which roles may); a process not
// named for a stream writes none of it.
import type { ActorSystem } from '@homeserver/actors';
import { presenceStream, receiptsStream, toDeviceStream, typingStream, type Clock } from '@homeserver/services';
import type { Database } from '@homeserver/storage';
import { StreamWriter, type StreamLogger } from '@homeserver/streams';
import type { Transport } from '@homeserver/transport';
import { TypingService } from '../producers/typing-service.ts';
import { presenceActor, receiptsWriterActor, toDeviceWriterActor, typingWriterActor } from './writer-actors.ts';

export const EPHEMERAL_STREAMS = ['typing', 'receipts', 'presence', 'to_device'] as const;
export type EphemeralStream = (typeof EPHEMERAL_STREAMS)[number];

export interface HostEphemeralWritersOptions {
  readonly db: Database;
  readonly transport: Transport;
  readonly actors: ActorSystem;
  /** This process's instance name. Required. */
  readonly instanceName: string;
  /** The streams this process writes. Required. */
  readonly streams: ReadonlySet<EphemeralStream>;
  readonly clock?: Clock;
  /** Heartbeat interval of every writer. Default: libs/streams' default. */
  readonly heartbeatMs?: number;
  /** Default: silent. */
  readonly logger?: StreamLogger;
}

export interface HostedEphemeralWriters {
  /** The typing state this process holds, when it writes typing. */
  readonly typing: TypingService | undefined;
  readonly writers: readonly StreamWriter<unknown>[];
  stop(): Promise<void>;
}

export async function hostEphemeralWriters(options: HostEphemeralWritersOptions): Promise<HostedEphemeralWriters> {
  const { db, transport, actors, streams } = options;
  const now = () => (options.clock ?? { now: Date.now }).now();
  const opts = { instanceName: options.instanceName, heartbeatMs: options.heartbeatMs, logger: options.logger };
  const writers: StreamWriter<unknown>[] = [];
  let typing: TypingService | undefined;
  try {
    if (streams.has('typing')) {
      const writer = await StreamWriter.start(db, transport, typingStream, opts);
      writers.push(writer as StreamWriter<unknown>);
      typing = new TypingService(writer, { clock: options.clock });
      actors.host(typingWriterActor(typing, writer as StreamWriter<unknown>));
    }
    if (streams.has('receipts')) {
      const writer = await StreamWriter.start(db, transport, receiptsStream, opts);
      writers.push(writer as StreamWriter<unknown>);
      actors.host(receiptsWriterActor(writer));
    }
    if (streams.has('presence')) {
      const writer = await StreamWriter.start(db, transport, presenceStream, opts);
      writers.push(writer as StreamWriter<unknown>);
      actors.host(presenceActor(writer, now));
    }
    if (streams.has('to_device')) {
      const writer = await StreamWriter.start(db, transport, toDeviceStream, opts);
      writers.push(writer as StreamWriter<unknown>);
      actors.host(toDeviceWriterActor(writer));
    }
  } catch (error) {
    await Promise.all(writers.map((writer) => writer.close()));
    throw error;
  }
  const held = typing;
  return {
    typing,
    writers,
    async stop() {
      held?.close();
      await Promise.all(writers.map((writer) => writer.close()));
    },
  };
}
