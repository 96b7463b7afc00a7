// The media app refuses configs it cannot run with, as a real process.
import { describe } from 'vitest';
import { itRejectsBadConfig } from '@homeserver/testing';

describe('media app process', () => {
  itRejectsBadConfig('media', { 'homeserver.yaml': 'server_name: x.org\n', 'worker.yaml': 'worker_app: media\n' }, /"worker_name" is missing/);
  itRejectsBadConfig('media', { 'homeserver.yaml': 'server_name: x.org\n', 'worker.yaml': 'worker_app: media\nworker_name: w1\n' }, /needs "nats" or "redis"/);
});
