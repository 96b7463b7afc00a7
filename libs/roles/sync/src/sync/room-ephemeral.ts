// Typing and receipts of all rooms of one /sync answer, read with one query per stream and
// window instead of one (or two, with the m.fully_read marker) per room: an initial sync of a
// user in hundreds of rooms otherwise paid hundreds of round trips for mostly empty answers.
import { latestTypingForRooms, receiptsForRooms, type Database, type ReceiptRecord, type TypingRecord } from '@homeserver/storage';
import type { VectorPosition } from '@homeserver/streams';
import type { RoomEphemeral } from './joined-room.ts';
import { sqlWindow } from './sync-token.ts';

export interface EphemeralWindow {
  /** Exclusive start per stream (the client's token, or zero for rooms new to it). */
  readonly from: { readonly typing: VectorPosition; readonly receipts: VectorPosition };
  readonly upTo: { readonly typing: VectorPosition; readonly receipts: VectorPosition };
}

/**
 * Per room of `roomIds`: the latest typing row and the receipts whose latest change lies in the
 * window's SQL bounds (callers still apply per-writer windows), exactly what
 * latestTypingForRooms and receiptsForRooms answer for that room alone. An empty range is not asked.
 */
export async function readRoomEphemeral(db: Database, roomIds: readonly string[], window: EphemeralWindow): Promise<Map<string, RoomEphemeral>> {
  const typing = new Map<string, TypingRecord>();
  const receipts = new Map<string, ReceiptRecord[]>();
  if (roomIds.length > 0) {
    const typingRange = sqlWindow(window.from.typing, window.upTo.typing);
    const receiptRange = sqlWindow(window.from.receipts, window.upTo.receipts);
    // Both at once: one round trip on the answer's path, not two.
    const [typingRows, receiptRows] = await Promise.all([
      typingRange.floor < typingRange.ceiling ? latestTypingForRooms(db, roomIds, typingRange) : [],
      receiptRange.floor < receiptRange.ceiling ? receiptsForRooms(db, roomIds, receiptRange) : [],
    ]);
    for (const row of typingRows) typing.set(row.roomId, row);
    for (const row of receiptRows) {
      const list = receipts.get(row.roomId) ?? [];
      list.push(row);
      receipts.set(row.roomId, list);
    }
  }
  return new Map(roomIds.map((roomId) => [roomId, { typing: typing.get(roomId), receipts: receipts.get(roomId) ?? [] }]));
}

/** Whether anything ephemeral happened in the room in the window (an incremental sync shows it). */
export function hasEphemeral(ephemeral: RoomEphemeral | undefined): boolean {
  return ephemeral !== undefined && (ephemeral.typing !== undefined || ephemeral.receipts.length > 0);
}
