// The stream writers of the ephemeral/user streams, started together by the process that
// hosts them (main by default; Synapse's stream_writers decide in worker mode).
import type { DeviceListRow, PresenceRow, ReceiptRow, ToDeviceRow, TypingRow } from '@homeserver/storage';
import type { Database } from '@homeserver/storage';
import { StreamWriter, type StreamLogger } from '@homeserver/streams';
import type { Transport } from '@homeserver/transport';
import { deviceListsStream, presenceStream, receiptsStream, toDeviceStream, typingStream } from './sync-streams.ts';

export interface EphemeralWriters {
  readonly typing: StreamWriter<TypingRow>;
  readonly receipts: StreamWriter<ReceiptRow>;
  readonly presence: StreamWriter<PresenceRow>;
  readonly toDevice: StreamWriter<ToDeviceRow>;
  readonly deviceLists: StreamWriter<DeviceListRow>;
}

export interface StartEphemeralWritersOptions {
  /** This process's instance name. Required. */
  readonly instanceName: string;
  /** Heartbeat interval of every writer. Default: libs/streams' default. */
  readonly heartbeatMs?: number;
  /** Default: silent. */
  readonly logger?: StreamLogger;
}

export async function startEphemeralWriters(db: Database, transport: Transport, options: StartEphemeralWritersOptions): Promise<EphemeralWriters> {
  const opts = { instanceName: options.instanceName, heartbeatMs: options.heartbeatMs, logger: options.logger };
  return {
    typing: await StreamWriter.start(db, transport, typingStream, opts),
    receipts: await StreamWriter.start(db, transport, receiptsStream, opts),
    presence: await StreamWriter.start(db, transport, presenceStream, opts),
    toDevice: await StreamWriter.start(db, transport, toDeviceStream, opts),
    deviceLists: await StreamWriter.start(db, transport, deviceListsStream, opts),
  };
}

export async function stopEphemeralWriters(writers: EphemeralWriters): Promise<void> {
  await Promise.all(Object.values(writers).map((writer: StreamWriter<unknown>) => writer.close()));
}
