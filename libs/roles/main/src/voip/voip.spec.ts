// GET /voip/turnServer: Synapse's time-limited credentials from a shared secret (checked
// against a vector computed with Python's hmac, as Synapse computes it), static credentials,
// `{}` without configuration, turn_allow_guests, and the legacy prefixes.
import { missingToken } from '@homeserver/http';
import type { Requester } from '@homeserver/services';
import type { FastifyRequest } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRoomsTestEnv, SERVER, type RoomsTestEnv } from '../rooms/testing/rooms-test-env.ts';
import { turnCredentials, type TurnSettings } from './turn-credentials.ts';
import { registerVoipRoutes } from './voip-routes.ts';

const ALICE = `@alice:${SERVER}`;
const GUEST = `@1234:${SERVER}`;
const NOW = 1_700_000_000_000;
const URIS = ['turn:turn.test.local:3478?transport=udp', 'turns:turn.test.local:443?transport=tcp'];
const NONE: TurnSettings = { turnUris: [], turnSharedSecret: undefined, turnUsername: undefined, turnPassword: undefined, turnUserLifetimeMs: 3_600_000, turnAllowGuests: true };

describe('turnCredentials', () => {
  it('derives the TURN REST API pair from the shared secret: <expiry s>:<user>, base64 HMAC-SHA1', () => {
    const settings = { ...NONE, turnUris: URIS, turnSharedSecret: 's3cret' };
    // python3: base64.b64encode(hmac.new(b's3cret', b'1700003600:@alice:test.local', hashlib.sha1).digest())
    expect(turnCredentials(settings, { userId: ALICE, now: NOW })).toEqual({ username: `1700003600:${ALICE}`, password: 'jKXCHCgQlAaEv7lfN1QyIY+7wFk=', uris: URIS, ttl: 3600 });
    // Sub-second expiries are cut, as Synapse's "%d".
    expect(turnCredentials(settings, { userId: ALICE, now: NOW + 999 })?.username).toBe(`1700003600:${ALICE}`);
  });

  it('falls back to static credentials, and gives none without URIs, a lifetime or any credentials', () => {
    expect(turnCredentials({ ...NONE, turnUris: URIS, turnUsername: 'u', turnPassword: 'p', turnUserLifetimeMs: 90_500 }, { userId: ALICE, now: NOW })).toEqual({ username: 'u', password: 'p', uris: URIS, ttl: 90 });
    expect(turnCredentials({ ...NONE, turnUris: URIS, turnUsername: 'u' }, { userId: ALICE, now: NOW })).toBeUndefined();
    expect(turnCredentials({ ...NONE, turnUris: URIS }, { userId: ALICE, now: NOW })).toBeUndefined();
    expect(turnCredentials({ ...NONE, turnSharedSecret: 's' }, { userId: ALICE, now: NOW })).toBeUndefined();
    expect(turnCredentials({ ...NONE, turnUris: URIS, turnSharedSecret: 's', turnUserLifetimeMs: 0 }, { userId: ALICE, now: NOW })).toBeUndefined();
  });
});

describe('GET /voip/turnServer', () => {
  const settings: { -readonly [K in keyof TurnSettings]: TurnSettings[K] } = { ...NONE };
  let env: RoomsTestEnv;

  beforeAll(async () => {
    // `@<digits>` users are guests.
    const authenticate = async (request: FastifyRequest): Promise<Requester> => {
      const header = request.headers.authorization;
      if (!header?.startsWith('Bearer ')) throw missingToken();
      const userId = header.slice('Bearer '.length).split('|')[0]!;
      return { userId, deviceId: 'D', accessTokenId: 1, isGuest: /^@[0-9]+:/.test(userId) };
    };
    env = await openRoomsTestEnv({ authenticate, extraRoutes: (app) => registerVoipRoutes(app, { authenticate, clock: { now: () => NOW }, settings }) });
  });
  afterAll(async () => env.close());

  it('answers {} without TURN configuration, as Synapse (the spec schema wants the four fields)', async () => {
    const result = await env.call(ALICE, 'GET', '/_matrix/client/v3/voip/turnServer', undefined, { validate: false });
    expect(result).toEqual({ status: 200, body: {} });
  });

  it('hands out time-limited credentials under v3, r0 and api/v1', async () => {
    Object.assign(settings, { turnUris: URIS, turnSharedSecret: 's3cret' });
    for (const prefix of ['v3', 'r0', 'api/v1']) {
      const result = await env.call(ALICE, 'GET', `/_matrix/client/${prefix}/voip/turnServer`);
      expect(result.status, prefix).toBe(200);
      expect(result.body, prefix).toEqual({ username: `1700003600:${ALICE}`, password: 'jKXCHCgQlAaEv7lfN1QyIY+7wFk=', uris: URIS, ttl: 3600 });
    }
  });

  it('serves guests unless turn_allow_guests is false, and needs a token', async () => {
    Object.assign(settings, { turnUris: URIS, turnSharedSecret: 's3cret', turnAllowGuests: true });
    expect((await env.call(GUEST, 'GET', '/_matrix/client/v3/voip/turnServer')).body['username']).toBe(`1700003600:${GUEST}`);
    settings.turnAllowGuests = false;
    const refused = await env.call(GUEST, 'GET', '/_matrix/client/v3/voip/turnServer');
    expect([refused.status, refused.body['errcode']]).toEqual([403, 'M_GUEST_ACCESS_FORBIDDEN']);
    expect((await env.call(ALICE, 'GET', '/_matrix/client/v3/voip/turnServer')).status).toBe(200);
    expect((await env.call(undefined, 'GET', '/_matrix/client/v3/voip/turnServer')).status).toBe(401);
  });
});
