// The `receipts` replication stream: written by the receipts writer (main by default), read by
// sync (to serve receipts) and the pusher role (a read receipt updates a user's badge).
import { fetchReceiptsSince, type ReceiptRow } from '@homeserver/storage';
import { defineStream } from '@homeserver/streams';

export const receiptsStream = defineStream<ReceiptRow>({ name: 'receipts', fetchSince: fetchReceiptsSince });
