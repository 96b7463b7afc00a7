// One StreamWriter per (transport, stream, instance name), shared by every module of a process
// that writes the stream. Two writer objects of one stream and instance would each answer
// position queries and announce their own position, so one could announce past the other's
// uncommitted rows and readers would skip them. Roles cannot hand each other objects (they never
// import each other), so modules that write the same stream (main's device lifecycle and the
// ephemeral key uploads, both hosted by main) acquire it here and release it when they stop.
import type { Database } from '@homeserver/storage';
import { StreamWriter, type StreamDefinition, type StreamWriterOptions } from '@homeserver/streams';
import type { Transport } from '@homeserver/transport';

export interface SharedStreamWriter<Row> {
  readonly writer: StreamWriter<Row>;
  /** Gives this holder's share back; the last holder's release closes the writer. Idempotent. */
  release(): Promise<void>;
}

export interface AcquireStreamWriterOptions extends StreamWriterOptions {
  readonly db: Database;
  /** The process's transport: writers are shared per transport (one per process). */
  readonly transport: Transport;
}

interface Entry {
  readonly started: Promise<StreamWriter<unknown>>;
  holders: number;
}

const byTransport = new WeakMap<Transport, Map<string, Entry>>();

/**
 * The process's writer of `definition` as `options.instanceName`, started by the first caller
 * (whose heartbeat and logger options apply) and shared with later ones.
 */
export async function acquireStreamWriter<Row>(definition: StreamDefinition<Row>, options: AcquireStreamWriterOptions): Promise<SharedStreamWriter<Row>> {
  let entries = byTransport.get(options.transport);
  if (!entries) {
    entries = new Map();
    byTransport.set(options.transport, entries);
  }
  const key = `${definition.name}\0${options.instanceName}`;
  let entry = entries.get(key);
  if (!entry) {
    const { db, transport, ...writerOptions } = options;
    const created: Entry = { started: StreamWriter.start(db, transport, definition, writerOptions) as Promise<StreamWriter<unknown>>, holders: 0 };
    entry = created;
    entries.set(key, created);
    // A failed start must not poison later attempts.
    created.started.catch(() => {
      if (entries.get(key) === created) entries.delete(key);
    });
  }
  entry.holders += 1;
  let writer: StreamWriter<Row>;
  try {
    writer = (await entry.started) as StreamWriter<Row>;
  } catch (error) {
    entry.holders -= 1;
    throw error;
  }
  const held = entry;
  let released = false;
  return {
    writer,
    async release() {
      if (released) return;
      released = true;
      held.holders -= 1;
      if (held.holders > 0) return;
      if (entries.get(key) === held) entries.delete(key);
      await writer.close();
    },
  };
}
