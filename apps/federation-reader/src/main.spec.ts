// The federation-reader app refuses configs it cannot run with, as a real process.
import { describe } from 'vitest';
import { itRejectsBadConfig } from '@homeserver/testing';

describe('federation-reader app process', () => {
  itRejectsBadConfig('federation-reader', { 'homeserver.yaml': 'server_name: x.org\n', 'worker.yaml': 'worker_app: federation-reader\n' }, /"worker_name" is missing/);
  itRejectsBadConfig('federation-reader', { 'homeserver.yaml': 'server_name: x.org\n', 'worker.yaml': 'worker_app: federation-reader\nworker_name: w1\n' }, /needs "nats" or "redis"/);
});
