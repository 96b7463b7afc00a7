// Test support entry (@homeserver/streams/testing): a generic test stream and a lossy transport.
export type { TestRow } from './test-stream.ts';
export { createTestStreamTable, insertTestRow, insertTestRows, testStream } from './test-stream.ts';
export { FlakyTransport } from './flaky-transport.ts';
