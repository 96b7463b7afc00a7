// How a failed request to another server reaches the client (remoteFailure).
import { FederationRequestError } from '@homeserver/federation';
import { describe, expect, it } from 'vitest';
import { remoteFailure } from './remote-servers.ts';

describe('remoteFailure', () => {
  it('passes a refusal on with its errcode, and the room version an M_INCOMPATIBLE_ROOM_VERSION names (Synapse)', () => {
    const refusal = new FederationRequestError('remote.test', 400, 'y u no upgrade', 'M_INCOMPATIBLE_ROOM_VERSION', { errcode: 'M_INCOMPATIBLE_ROOM_VERSION', room_version: 'custom-ver' });
    const error = remoteFailure(refusal, 'joining !r:remote.test');
    expect([error.status, error.errcode, error.extra]).toEqual([400, 'M_INCOMPATIBLE_ROOM_VERSION', { room_version: 'custom-ver' }]);
    const forbidden = remoteFailure(new FederationRequestError('remote.test', 403, 'no', 'M_FORBIDDEN', { errcode: 'M_FORBIDDEN' }), 'x');
    expect([forbidden.status, forbidden.errcode, forbidden.extra]).toEqual([403, 'M_FORBIDDEN', {}]);
  });

  it('makes anything else from the remote a 502', () => {
    expect(remoteFailure(new FederationRequestError('remote.test', 500, 'boom'), 'x').status).toBe(502);
    expect(remoteFailure(new FederationRequestError('remote.test', 0, 'connection refused'), 'x').status).toBe(502);
  });
});
