// The writers of the streams (typing, receipts, presence, to_device, account_data,
// device_lists) that this process is named for in `stream_writers`, each with the actor kind
// every edge reaches it through. Hosted by a main or a sync process (the stream catalogue says
// which roles may); a process not named for a stream writes none of it.
import type { ActorDefinition, ActorSystem } from '@homeserver/actors';
import { STREAM_CATALOGUE, type Clock } from '@homeserver/services';
import type { Database } from '@homeserver/storage';
import { StreamWriter, type StreamLogger } from '@homeserver/streams';
import type { Transport } from '@homeserver/transport';
import { publishQueuedDeviceListChanges } from '../producers/device-lists.ts';
import { TypingService } from '../producers/typing-service.ts';
import { accountDataWriterActor, deviceListsWriterActor, presenceActor, receiptsWriterActor, toDeviceWriterActor, typingWriterActor } from './writer-actors.ts';

export const WRITER_STREAMS = ['typing', 'receipts', 'presence', 'to_device', 'account_data', 'device_lists'] as const;
export type WriterStream = (typeof WRITER_STREAMS)[number];

export interface HostStreamWritersOptions {
  readonly db: Database;
  readonly transport: Transport;
  readonly actors: ActorSystem;
  /** This process's instance name. Required. */
  readonly instanceName: string;
  /** The streams this process writes. Required. */
  readonly streams: ReadonlySet<WriterStream>;
  readonly clock?: Clock;
  /** Each stream's configured writers (StreamWriterOptions.writers). Default: unknown. */
  readonly writersOf?: (stream: WriterStream) => readonly string[];
  /** Heartbeat interval of every writer. Default: libs/streams' default. */
  readonly heartbeatMs?: number;
  /** Default: silent. */
  readonly logger?: StreamLogger;
}

export interface HostedStreamWriters {
  /** The typing state this process holds, when it writes typing. */
  readonly typing: TypingService | undefined;
  readonly writers: readonly StreamWriter<unknown>[];
  stop(): Promise<void>;
}

type AnyWriter = StreamWriter<never>;

export async function hostStreamWriters(options: HostStreamWritersOptions): Promise<HostedStreamWriters> {
  const { db, transport, actors, streams } = options;
  const now = () => (options.clock ?? { now: Date.now }).now();
  const opts = { instanceName: options.instanceName, heartbeatMs: options.heartbeatMs, logger: options.logger };
  const writers: StreamWriter<unknown>[] = [];
  let typing: TypingService | undefined;
  const actorOf: Record<WriterStream, (writer: AnyWriter) => ActorDefinition<object>> = {
    typing: (writer) => {
      typing = new TypingService(writer, { clock: options.clock });
      return typingWriterActor(typing, writer);
    },
    receipts: (writer) => receiptsWriterActor(writer),
    presence: (writer) => presenceActor(writer, now),
    to_device: (writer) => toDeviceWriterActor(writer),
    account_data: (writer) => accountDataWriterActor(writer),
    device_lists: (writer) => deviceListsWriterActor(writer),
  };
  try {
    for (const stream of WRITER_STREAMS) {
      if (!streams.has(stream)) continue;
      const configured = options.writersOf?.(stream);
      const writer = await StreamWriter.start(db, transport, STREAM_CATALOGUE[stream].definition as never, { ...opts, ...(configured === undefined ? {} : { writers: configured }) });
      writers.push(writer);
      actors.host(actorOf[stream](writer as AnyWriter));
      // Changes queued while no writer ran (an edge's commit whose publish did not reach it).
      if (stream === 'device_lists') await publishQueuedDeviceListChanges(writer as AnyWriter);
    }
  } catch (error) {
    typing?.close();
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
