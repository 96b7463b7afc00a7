// The /sync `since`/`next_batch` token: one vector position per stream, encoded compactly by
// libs/streams (`s<events>_<account_data>_<receipts>_<typing>_<to_device>_<presence>_<device_lists>`).
// The order is the token's schema: new streams are appended, so old tokens stay valid.
import { decodeStreamToken, encodeStreamToken, VectorPosition, type WriterIds } from '@homeserver/streams';

export const SYNC_STREAMS = ['events', 'account_data', 'receipts', 'typing', 'to_device', 'presence', 'device_lists'] as const;
export type SyncStreamName = (typeof SYNC_STREAMS)[number];

export type SyncToken = Readonly<Record<SyncStreamName, VectorPosition>>;

export const ZERO_TOKEN: SyncToken = Object.fromEntries(SYNC_STREAMS.map((name) => [name, VectorPosition.ZERO])) as SyncToken;

export function encodeSyncToken(token: SyncToken, ids: WriterIds): string {
  return encodeStreamToken(SYNC_STREAMS.map((name) => token[name]), ids);
}

/** Throws InvalidStreamTokenError for text that is not a sync token. */
export function decodeSyncToken(text: string, ids: WriterIds): SyncToken {
  const positions = decodeStreamToken(text, ids, { count: SYNC_STREAMS.length });
  return Object.fromEntries(SYNC_STREAMS.map((name, i) => [name, positions[i]!])) as SyncToken;
}

/** This token with one stream replaced. */
export function withStream(token: SyncToken, name: SyncStreamName, position: VectorPosition): SyncToken {
  return { ...token, [name]: position };
}

/**
 * Whether a row at `position` of `writer` is new for a client at `since` and visible at `upTo`:
 * since.get(writer) < position <= upTo.get(writer).
 */
export function inWindow(position: number, writer: string, since: VectorPosition, upTo: VectorPosition): boolean {
  return position > since.get(writer) && position <= upTo.get(writer);
}

/** The SQL bounds covering every writer's window; rows still need inWindow. */
export function sqlWindow(since: VectorPosition, upTo: VectorPosition): { floor: number; ceiling: number } {
  return { floor: since.min, ceiling: upTo.max };
}
