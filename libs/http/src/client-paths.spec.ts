import { describe, expect, it } from 'vitest';
import { clientPaths } from './client-paths.ts';

describe('clientPaths', () => {
  it('serves v3 and r0 by default, api/v1 on request', () => {
    expect(clientPaths('/account/whoami')).toEqual(['/_matrix/client/v3/account/whoami', '/_matrix/client/r0/account/whoami']);
    expect(clientPaths('/login', { r0: true, v1: true })).toEqual([
      '/_matrix/client/v3/login',
      '/_matrix/client/r0/login',
      '/_matrix/client/api/v1/login',
    ]);
    expect(clientPaths('/refresh', { r0: false, version: 'v1' })).toEqual(['/_matrix/client/v1/refresh']);
    expect(clientPaths('/keys/signatures/upload', { unstable: true })).toContain('/_matrix/client/unstable/keys/signatures/upload');
  });

  it('rejects relative paths', () => {
    expect(() => clientPaths('login')).toThrow(/"login"/);
  });
});
