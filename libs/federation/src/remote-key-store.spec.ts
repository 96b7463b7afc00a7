// The notary side of the key store against a scripted origin server: what a notary answers for
// keys it cached, when it asks the origin again (an asked minimum_valid_until_ts, else half the
// response's lifetime), and that a later response which no longer lists a key does not make the
// notary forget that key (Sytest's two notary cases, as Synapse behaves).
import { resolveConfig } from '@homeserver/config';
import { buildServerKeys, SigningKey, type JsonObject } from '@homeserver/matrix';
import { openDatabase, type Database } from '@homeserver/storage';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RemoteKeyStore } from './remote-key-store.ts';

const ORIGIN = 'origin.test';
const DAY = 86_400_000;
const key1 = SigningKey.fromSeed(new Uint8Array(32).fill(1), 'key_1');
const key2 = SigningKey.fromSeed(new Uint8Array(32).fill(2), 'key_2');
const notaryKey = SigningKey.fromSeed(new Uint8Array(32).fill(3), 'notary');

let db: Database;
/** What the origin answers to GET /_matrix/key/v2/server next; every fetch is counted. */
let origin: { answer: () => JsonObject; fetches: number };
let store: RemoteKeyStore;

const response = (key: SigningKey, validUntilTs: number) => buildServerKeys({ serverName: ORIGIN, signingKeys: [key], validUntilTs });
const keyIdsIn = (answers: JsonObject[]) => answers.map((a) => Object.keys(a['verify_keys'] as JsonObject));

beforeEach(async () => {
  db = await openDatabase({ kind: 'pglite' });
  origin = { answer: () => response(key1, Date.now() + DAY), fetches: 0 };
  store = new RemoteKeyStore({
    serverName: 'notary.test',
    signingKey: notaryKey,
    config: resolveConfig({ server_name: 'notary.test' }, { configDir: '/etc/hs' }).federation,
    db,
    logger: pino({ level: 'silent' }),
    transport: {
      getUnsigned: async () => {
        origin.fetches += 1;
        return origin.answer();
      },
      request: async () => {
        throw new Error('no notary of its own');
      },
    },
  });
});

afterEach(async () => {
  await db.close();
});

describe('RemoteKeyStore as a notary', () => {
  it('asks the origin again for a later minimum_valid_until_ts at once, and answers the expired key when the origin fails', async () => {
    const expiry = Date.now() - DAY;
    origin.answer = () => response(key1, expiry);
    expect(keyIdsIn(await store.query(ORIGIN, undefined, ['ed25519:key_1']))).toEqual([['ed25519:key_1']]);
    expect(origin.fetches).toBe(1);
    // A later minimum right after: fetched again (a successful fetch does not hold the next one back).
    const again = await store.query(ORIGIN, expiry + 1000, ['ed25519:key_1']);
    expect(origin.fetches).toBe(2);
    expect(again[0]?.['valid_until_ts']).toBe(expiry);
    origin.answer = () => {
      throw new Error('400 from the origin');
    };
    const stale = await store.query(ORIGIN, expiry + 1000, ['ed25519:key_1']);
    expect(origin.fetches).toBe(3);
    expect(keyIdsIn(stale)).toEqual([['ed25519:key_1']]);
    expect(stale[0]?.['valid_until_ts']).toBe(expiry);
    // After a failure the origin is left alone for a while, for the keys the notary holds...
    await store.query(ORIGIN, expiry + 1000, ['ed25519:key_1']);
    expect(origin.fetches).toBe(3);
    // ...but a key it does not hold is always asked for.
    expect(await store.query(ORIGIN, undefined, ['ed25519:key_9'])).toEqual([]);
    expect(origin.fetches).toBe(4);
  });

  it('keeps vouching for a key a later response no longer lists', async () => {
    const expiry = Date.now() - DAY;
    origin.answer = () => response(key1, expiry);
    await store.query(ORIGIN, undefined, ['ed25519:key_1']);
    origin.answer = () => response(key2, expiry + 1000);
    await store.query(ORIGIN, Date.now(), ['ed25519:key_1']);
    expect(origin.fetches).toBe(2);
    // Asked with the old minimum, key_1's own response is answered, and nothing is fetched.
    const answer = await store.query(ORIGIN, expiry, ['ed25519:key_1']);
    expect(keyIdsIn(answer)).toEqual([['ed25519:key_1']]);
    expect(origin.fetches).toBe(2);
    // Without key IDs every response is answered, the freshest first.
    expect(keyIdsIn(await store.query(ORIGIN, expiry))).toEqual([['ed25519:key_2'], ['ed25519:key_1']]);
  });

  it('without a minimum, asks again only past half the response lifetime', async () => {
    await store.query(ORIGIN, undefined);
    await store.query(ORIGIN, undefined);
    expect(origin.fetches).toBe(1);
  });
});
