// The sync app refuses configs it cannot run with, as a real process.
import { describe } from 'vitest';
import { itRejectsBadConfig } from '@homeserver/testing';

describe('sync app process', () => {
  itRejectsBadConfig('sync', { 'homeserver.yaml': 'server_name: x.org\n', 'worker.yaml': 'worker_app: sync\n' }, /"worker_name" is missing/);
  itRejectsBadConfig('sync', { 'homeserver.yaml': 'server_name: x.org\n', 'worker.yaml': 'worker_app: sync\nworker_name: w1\n' }, /needs "nats" or "redis"/);
});
