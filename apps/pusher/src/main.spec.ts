// The pusher app refuses configs it cannot run with, as a real process.
import { describe } from 'vitest';
import { itRejectsBadConfig } from '@homeserver/testing';

describe('pusher app process', () => {
  itRejectsBadConfig('pusher', { 'homeserver.yaml': 'server_name: x.org\n', 'worker.yaml': 'worker_app: pusher\n' }, /"worker_name" is missing/);
  itRejectsBadConfig('pusher', { 'homeserver.yaml': 'server_name: x.org\n', 'worker.yaml': 'worker_app: pusher\nworker_name: w1\n' }, /needs "nats" or "redis"/);
});
