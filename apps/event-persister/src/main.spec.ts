// The event-persister app refuses configs it cannot run with, as a real process.
import { describe } from 'vitest';
import { itRejectsBadConfig } from '@homeserver/testing';

describe('event-persister app process', () => {
  itRejectsBadConfig('event-persister', { 'homeserver.yaml': 'server_name: x.org\n', 'worker.yaml': 'worker_app: event-persister\n' }, /"worker_name" is missing/);
  itRejectsBadConfig('event-persister', { 'homeserver.yaml': 'server_name: x.org\n', 'worker.yaml': 'worker_app: event-persister\nworker_name: w1\n' }, /needs "nats" or "redis"/);
});
