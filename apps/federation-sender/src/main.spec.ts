// The federation-sender app refuses configs it cannot run with, as a real process.
import { describe } from 'vitest';
import { itRejectsBadConfig } from '@homeserver/testing';

describe('federation-sender app process', () => {
  itRejectsBadConfig('federation-sender', { 'homeserver.yaml': 'server_name: x.org\n', 'worker.yaml': 'worker_app: federation-sender\n' }, /"worker_name" is missing/);
  itRejectsBadConfig('federation-sender', { 'homeserver.yaml': 'server_name: x.org\n', 'worker.yaml': 'worker_app: federation-sender\nworker_name: w1\n' }, /needs "nats" or "redis"/);
});
