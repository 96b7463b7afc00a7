import { describe, expect, it } from 'vitest';
import { chunkOfModule, packageOfModule } from './loaded-packages.ts';

describe('what a recorded module URL names', () => {
  it('the package of a node_modules file, scoped or not, the innermost when nested', () => {
    expect(packageOfModule('file:///w/node_modules/pg/lib/client.js')).toBe('pg');
    expect(packageOfModule('file:///w/node_modules/@nats-io/nats-core/lib/core.js')).toBe('@nats-io/nats-core');
    expect(packageOfModule('file:///w/libs/config/node_modules/yaml/dist/index.js')).toBe('yaml');
    expect(packageOfModule('file:///w/apps/pusher/dist/main.js')).toBeUndefined();
  });

  it('the chunk of an app bundle, without its hash (which may hold a dash)', () => {
    expect(chunkOfModule('file:///w/apps/pusher/dist/redis-client-DS5BvNwZ.js')).toBe('redis-client');
    expect(chunkOfModule('file:///w/apps/pusher/dist/schema-mTtWOb-2.js')).toBe('schema');
    expect(chunkOfModule('file:///w/apps/main/dist/main.js')).toBe('main');
    expect(chunkOfModule('file:///w/node_modules/pg/lib/client.js')).toBeUndefined();
    expect(chunkOfModule('node:fs')).toBeUndefined();
  });
});
