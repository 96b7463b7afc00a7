// The stream writers and readers open on each transport, for the process's /metrics. A process
// has one transport, so this is the process's list, and it is complete without every role
// that starts a writer or reader having to register it: each adds itself once started and
// removes itself when closed (no stale series, no leak; keyed weakly by transport).
import type { Transport } from '@homeserver/transport';
import type { StreamReaderSnapshot } from './stream-reader.ts';
import type { StreamWriterSnapshot } from './stream-writer.ts';

export type OpenStream =
  | { readonly kind: 'writer'; snapshot(): StreamWriterSnapshot }
  | { readonly kind: 'reader'; snapshot(): StreamReaderSnapshot };

export interface OpenStreamsSnapshot {
  readonly writers: readonly StreamWriterSnapshot[];
  readonly readers: readonly StreamReaderSnapshot[];
}

const byTransport = new WeakMap<Transport, Set<OpenStream>>();

/** Lists `open` under `transport` until the returned function is called (idempotent). */
export function trackOpenStream(transport: Transport, open: OpenStream): () => void {
  let set = byTransport.get(transport);
  if (!set) {
    set = new Set();
    byTransport.set(transport, set);
  }
  const held = set;
  held.add(open);
  return () => void held.delete(open);
}

/** Snapshots of every writer and reader currently open on `transport`, in start order. */
export function openStreamsOf(transport: Transport): OpenStreamsSnapshot {
  const writers: StreamWriterSnapshot[] = [];
  const readers: StreamReaderSnapshot[] = [];
  for (const open of byTransport.get(transport) ?? []) {
    if (open.kind === 'writer') writers.push(open.snapshot());
    else readers.push(open.snapshot());
  }
  return { writers, readers };
}
