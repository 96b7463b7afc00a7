// Checks the spec validator against bodies taken from the spec's own examples and obvious misfits.
import { describe, expect, it } from 'vitest';
import {
  SpecLookupError,
  SpecViolationError,
  findOperation,
  specValidator,
  validateResponse,
} from './spec-validator.ts';

describe('findOperation', () => {
  it('maps concrete paths with IDs to the templated operation', () => {
    const op = findOperation('PUT', '/_matrix/client/v3/rooms/!abc:x/send/m.room.message/1');
    expect(op?.operationId).toBe('sendMessage');
    expect(op?.path).toBe('/_matrix/client/v3/rooms/{roomId}/send/{eventType}/{txnId}');
  });

  it('treats r0 as v3 and ignores the query string', () => {
    expect(findOperation('get', '/_matrix/client/r0/account/whoami?access_token=x')?.operationId).toBe(
      'getTokenOwner',
    );
  });

  it('prefers literal segments over parameters', () => {
    expect(findOperation('GET', '/_matrix/client/v3/register/available')?.operationId).toBe(
      'checkUsernameAvailability',
    );
    expect(findOperation('GET', '/_matrix/client/versions')?.operationId).toBe('getVersions');
    expect(findOperation('GET', '/.well-known/matrix/client')?.operationId).toBe('getWellknown');
  });

  it('treats a missing state key as the empty one', () => {
    expect(findOperation('GET', '/_matrix/client/v3/rooms/!a:b/state/m.room.name')?.operationId).toBe(
      'getRoomStateWithKey',
    );
  });

  it('returns undefined for paths outside the spec', () => {
    expect(findOperation('GET', '/_synapse/admin/v1/register')).toBeUndefined();
    expect(findOperation('DELETE', '/_matrix/client/versions')).toBeUndefined();
  });

  it('indexes media endpoints too', () => {
    expect(findOperation('GET', '/_matrix/client/v1/media/config')?.operationId).toBe('getConfigAuthed');
  });
});

describe('validateResponse', () => {
  it('accepts the spec example of whoami and login', () => {
    validateResponse('GET', '/_matrix/client/v3/account/whoami', 200, {
      user_id: '@joe:example.org',
      device_id: 'ABCDEFG',
      is_guest: false,
    });
    validateResponse('POST', '/_matrix/client/v3/login', 200, {
      user_id: '@cheeky_monkey:matrix.org',
      access_token: 'abc123',
      device_id: 'GHTYAJCE',
      expires_in_ms: 60000,
      refresh_token: 'def456',
      well_known: { 'm.homeserver': { base_url: 'https://example.org' } },
    });
  });

  it('follows refs across files (rate-limited error, well-known homeserver)', () => {
    validateResponse('POST', '/_matrix/client/v3/register', 429, {
      errcode: 'M_LIMIT_EXCEEDED',
      error: 'Too many requests',
      retry_after_ms: 2000,
    });
    expect(() =>
      validateResponse('GET', '/.well-known/matrix/client', 200, { 'm.homeserver': {} }),
    ).toThrow(SpecViolationError);
  });

  it('lists every violation with its location', () => {
    try {
      validateResponse('GET', '/_matrix/client/v3/account/whoami', 200, {
        user_id: 'joe',
        is_guest: 'no',
      });
      expect.unreachable('should have thrown');
    } catch (error) {
      expect(error).toBeInstanceOf(SpecViolationError);
      const violations = (error as SpecViolationError).violations.join('\n');
      expect(violations).toMatch(/\/user_id/);
      expect(violations).toMatch(/\/is_guest must be boolean/);
    }
  });

  it('checks undocumented error statuses against the standard error shape', () => {
    validateResponse('GET', '/_matrix/client/v3/account/whoami', 400, {
      errcode: 'M_BAD_JSON',
      error: 'bad',
    });
    expect(() => validateResponse('GET', '/_matrix/client/v3/account/whoami', 400, { error: 'x' })).toThrow(
      SpecViolationError,
    );
  });

  it('refuses undocumented success statuses and unknown paths', () => {
    expect(() => validateResponse('GET', '/_matrix/client/v3/account/whoami', 204, {})).toThrow(
      SpecLookupError,
    );
    expect(() => validateResponse('GET', '/_matrix/client/v3/nope', 200, {})).toThrow(SpecLookupError);
  });

  it('can compile every documented response schema', () => {
    const validator = specValidator();
    let compiled = 0;
    for (const op of validator.operations()) {
      for (const status of op.statuses) {
        const code = status === 'default' ? 599 : Number(status);
        try {
          validator.validateResponse(op.method, op.path, code, {});
        } catch (error) {
          // An empty body may violate the schema, but every ref must resolve.
          expect(error).toBeInstanceOf(SpecViolationError);
        }
        compiled += 1;
      }
    }
    expect(compiled).toBeGreaterThan(300);
  }, 60_000);
});
