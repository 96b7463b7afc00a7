// The `account_data` replication stream: written by main (global and per-room account data,
// tags), read by sync. Rows come from the account_data table.
import { ACCOUNT_DATA_STREAM, fetchAccountDataSince, type AccountDataRow } from '@homeserver/storage';
import { defineStream } from '@homeserver/streams';

export const accountDataStream = defineStream<AccountDataRow>({
  name: ACCOUNT_DATA_STREAM,
  fetchSince: (db, range) => fetchAccountDataSince(db, range),
});
