// The catalogue of replication streams: for each stream its definition (name, row type, the
// one catch-up query), the config key naming its writers, and the roles whose processes can
// write it. Every writer and reader takes its definition from here (as Synapse's STREAMS_MAP),
// so a stream is described once; the runtime checks `stream_writers` against it at start.
import type { HomeserverConfig, RoleName } from '@homeserver/config';
import {
  fetchPresenceSince,
  fetchToDeviceSince,
  fetchTypingSince,
  type AccountDataRow,
  type DeviceListRow,
  type EventStreamRow,
  type PresenceRow,
  type ReceiptRow,
  type ToDeviceRow,
  type TypingRow,
} from '@homeserver/storage';
import { defineStream, type StreamDefinition } from '@homeserver/streams';
import { accountDataStream } from './account-data-stream.ts';
import { deviceListsStream } from './device-lists-stream.ts';
import { eventsStream } from './events-stream.ts';
import { receiptsStream } from './receipts-stream.ts';

export const typingStream = defineStream<TypingRow>({ name: 'typing', fetchSince: fetchTypingSince });
export const presenceStream = defineStream<PresenceRow>({ name: 'presence', fetchSince: fetchPresenceSince });
export const toDeviceStream = defineStream<ToDeviceRow>({ name: 'to_device', fetchSince: fetchToDeviceSince });

export interface CatalogueEntry<Row> {
  readonly definition: StreamDefinition<Row>;
  /** The config key naming the writer instances (Synapse's name). */
  readonly writerKey: string;
  /** Roles whose processes can host a writer of the stream. */
  readonly hostedBy: readonly RoleName[];
  /** Whether the stream takes several writers at once (vector positions). */
  readonly multiWriter: boolean;
}

function entry<Row>(definition: StreamDefinition<Row>, hostedBy: readonly RoleName[], multiWriter: boolean): CatalogueEntry<Row> {
  return { definition, writerKey: `stream_writers.${definition.name}`, hostedBy, multiWriter };
}

/**
 * Every stream, by name. All but events are written by the stream writer actors
 * (role-stream-writers) that a main or a sync process hosts when stream_writers names it.
 */
export const STREAM_CATALOGUE = {
  events: entry<EventStreamRow>(eventsStream, ['event-persister', 'main'], true),
  account_data: entry<AccountDataRow>(accountDataStream, ['main', 'sync'], false),
  device_lists: entry<DeviceListRow>(deviceListsStream, ['main', 'sync'], false),
  typing: entry<TypingRow>(typingStream, ['main', 'sync'], false),
  receipts: entry<ReceiptRow>(receiptsStream, ['main', 'sync'], false),
  presence: entry<PresenceRow>(presenceStream, ['main', 'sync'], false),
  to_device: entry<ToDeviceRow>(toDeviceStream, ['main', 'sync'], false),
} as const;

export type CataloguedStream = keyof typeof STREAM_CATALOGUE;

/** The configured writer instances of `stream` (events: the event persisters). Default: main. */
export function streamWritersOf(config: HomeserverConfig, stream: string): readonly string[] {
  return stream === 'events' ? config.instances['event-persister'] : (config.streamWriters[stream] ?? ['main']);
}

/** Whether this process is a configured writer of `stream`. */
export function writesStream(config: HomeserverConfig, stream: CataloguedStream): boolean {
  return streamWritersOf(config, stream).includes(config.workerName);
}

/**
 * Why this process's config cannot run, or undefined: a stream it is named a writer of that its
 * roles cannot host, a stream of `stream_writers` that does not exist, or a single-writer stream
 * with several writers.
 */
export function streamWriterProblems(config: HomeserverConfig, hostedRoles: readonly RoleName[]): string[] {
  const problems: string[] = [];
  for (const [stream, writers] of Object.entries(config.streamWriters)) {
    const known = (STREAM_CATALOGUE as Record<string, CatalogueEntry<unknown> | undefined>)[stream];
    if (!known) {
      problems.push(`stream_writers.${stream}: no such stream (known: ${Object.keys(STREAM_CATALOGUE).join(', ')})`);
      continue;
    }
    if (!known.multiWriter && writers.length > 1) problems.push(`${known.writerKey}: ${stream} takes one writer, got ${writers.join(', ')}`);
  }
  for (const [stream, known] of Object.entries(STREAM_CATALOGUE) as Array<[CataloguedStream, CatalogueEntry<unknown>]>) {
    if (!writesStream(config, stream)) continue;
    if (!known.hostedBy.some((role) => hostedRoles.includes(role))) {
      problems.push(`${known.writerKey} names ${config.workerName}, but a ${config.workerApp} process cannot write ${stream} (it is written by: ${known.hostedBy.join(', ')})`);
    }
  }
  return problems;
}
