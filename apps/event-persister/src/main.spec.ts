// The event-persister app refuses configs it cannot run with, as a real process.
import { describeWorkerAppConfigChecks, itRejectsBadConfig } from '@homeserver/testing';
import { describe } from 'vitest';

describeWorkerAppConfigChecks('event-persister');

describe('event-persister named as a writer of a stream it cannot host', () => {
  itRejectsBadConfig(
    'event-persister',
    {
      'homeserver.yaml': 'server_name: x.org\ndatabase: {name: psycopg2, args: {database: x}}\nnats: {servers: ["nats://127.0.0.1:1"]}\nworker_replication_secret: s3cret-s3cret-s3cret\nstream_writers: {typing: [persister1]}\n',
      'worker.yaml': 'worker_app: event-persister\nworker_name: persister1\n',
    },
    /stream_writers\.typing names persister1, but a event-persister process cannot write typing/,
  );
  // account_data and device_lists are placeable too, on a main or a sync process only.
  itRejectsBadConfig(
    'event-persister',
    {
      'homeserver.yaml': 'server_name: x.org\ndatabase: {name: psycopg2, args: {database: x}}\nnats: {servers: ["nats://127.0.0.1:1"]}\nworker_replication_secret: s3cret-s3cret-s3cret\nstream_writers: {device_lists: [persister1]}\n',
      'worker.yaml': 'worker_app: event-persister\nworker_name: persister1\n',
    },
    /stream_writers\.device_lists names persister1, but a event-persister process cannot write device_lists/,
  );
});
