import { describe, expect, it } from 'vitest';
import { resolveConfig } from '@homeserver/config';
import { hostedRoles } from './hosted-roles.ts';

describe('hostedRoles', () => {
  it('hosts every role in the monolith', () => {
    const config = resolveConfig({ server_name: 'x.org' }, { configDir: '/tmp' });
    expect(hostedRoles(config).sort()).toEqual(['event-persister', 'federation-reader', 'federation-sender', 'main', 'media', 'pusher', 'sync']);
  });

  it('leaves sharded roles to the instances configured for them', () => {
    const config = resolveConfig(
      { server_name: 'x.org', nats: {}, worker_replication_secret: 's', stream_writers: { events: ['persister1'] }, federation_sender_instances: ['sender1'], pusher_instances: ['main'] },
      { configDir: '/tmp' },
    );
    expect(hostedRoles(config)).toEqual(['main', 'federation-reader', 'media', 'sync', 'pusher']);
  });

  it('leaves the media role to media workers when enable_media_repo is false', () => {
    const config = resolveConfig({ server_name: 'x.org', nats: {}, worker_replication_secret: 's', enable_media_repo: false, media_instance_running_background_jobs: 'media1' }, { configDir: '/tmp' });
    expect(hostedRoles(config)).toEqual(['event-persister', 'main', 'federation-reader', 'sync', 'federation-sender', 'pusher']);
    const worker = resolveConfig(
      { server_name: 'x.org', nats: {}, worker_replication_secret: 's', enable_media_repo: false, database: { name: 'psycopg2', args: {} }, worker_app: 'media', worker_name: 'media1' },
      { configDir: '/tmp' },
    );
    expect(hostedRoles(worker)).toEqual(['media']);
    // The media background jobs would then run nowhere.
    expect(() => resolveConfig({ server_name: 'x.org', enable_media_repo: false, media_instance_running_background_jobs: 'main' }, { configDir: '/tmp' })).toThrow(
      /media_instance_running_background_jobs.*names only main.*enable_media_repo: false/,
    );
  });

  it('hosts only its own role in a worker', () => {
    const config = resolveConfig({ server_name: 'x.org', nats: {}, worker_replication_secret: 's', database: { name: 'psycopg2', args: {} }, worker_app: 'event-persister', worker_name: 'persister1' }, { configDir: '/tmp' });
    expect(hostedRoles(config)).toEqual(['event-persister']);
  });
});
