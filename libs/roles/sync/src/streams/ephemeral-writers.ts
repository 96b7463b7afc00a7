// The stream writers of the ephemeral/user streams, started together by the process that
// hosts them (main by default; Synapse's stream_writers decide in worker mode). device_lists is
// shared with main's device lifecycle through acquireStreamWriter: one writer per process.
import { acquireStreamWriter, deviceListsStream, type SharedStreamWriter } from '@homeserver/services';
import type { DeviceListRow, PresenceRow, ReceiptRow, ToDeviceRow, TypingRow } from '@homeserver/storage';
import type { Database } from '@homeserver/storage';
import { StreamWriter, type StreamLogger } from '@homeserver/streams';
import type { Transport } from '@homeserver/transport';
import { presenceStream, receiptsStream, toDeviceStream, typingStream } from './sync-streams.ts';

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

/** The shares of process-wide writers each EphemeralWriters holds, released by stopEphemeralWriters. */
const shares = new WeakMap<EphemeralWriters, SharedStreamWriter<DeviceListRow>>();

export async function startEphemeralWriters(db: Database, transport: Transport, options: StartEphemeralWritersOptions): Promise<EphemeralWriters> {
  const opts = { instanceName: options.instanceName, heartbeatMs: options.heartbeatMs, logger: options.logger };
  const deviceLists = await acquireStreamWriter(deviceListsStream, { db, transport, ...opts });
  const writers: EphemeralWriters = {
    typing: await StreamWriter.start(db, transport, typingStream, opts),
    receipts: await StreamWriter.start(db, transport, receiptsStream, opts),
    presence: await StreamWriter.start(db, transport, presenceStream, opts),
    toDevice: await StreamWriter.start(db, transport, toDeviceStream, opts),
    deviceLists: deviceLists.writer,
  };
  shares.set(writers, deviceLists);
  return writers;
}

export async function stopEphemeralWriters(writers: EphemeralWriters): Promise<void> {
  const { deviceLists: _shared, ...own } = writers;
  await Promise.all([...Object.values(own).map((writer: StreamWriter<unknown>) => writer.close()), shares.get(writers)?.release()]);
}
