// The `account_data` stream definition: readers catch up from the account_data table.
import { ACCOUNT_DATA_STREAM, fetchAccountDataSince, type AccountDataRow } from '@homeserver/storage';
import { defineStream } from '@homeserver/streams';

export const accountDataStream = defineStream<AccountDataRow>({
  name: ACCOUNT_DATA_STREAM,
  fetchSince: (db, range) => fetchAccountDataSince(db, range),
});
