// The server-key store: our own keys (current and old_signing_keys), other servers' keys cached
// in PostgreSQL with their validity, fetched directly and then through trusted_key_servers when
// missing or stale, and the notary side of /_matrix/key/v2/query.
//
// Validity as the spec asks: a current key is trusted until the lesser of its valid_until_ts and
// seven days after we fetched it; an old key only for what was signed before its expired_ts. A
// stale key is refetched (at most once per refetch interval per server) and, when the server
// cannot be reached, the stale key is still answered with its validity so callers can judge.
import type { FederationConfig } from '@homeserver/config';
import {
  buildServerKeys,
  decodeVerifyKey,
  effectiveKeyValidUntil,
  encodeCanonicalJson,
  parseJson,
  signJson,
  type JsonObject,
  type ServerKeys,
  type SigningKey,
  type VerifyKeyInfo,
} from '@homeserver/matrix';
import { getServerKey, getServerKeyResponses, storeServerKeyResponse, type Database } from '@homeserver/storage';
import type { Logger } from 'pino';
import type { KeyNotary, ServerKeyStore } from './federation.ts';
import { fetchKeysDirect, fetchKeysFromNotary, type FetchedKeys, type KeyTransport } from './key-fetcher.ts';

const MEMORY_MS = 5 * 60_000;
const MEMORY_ENTRIES = 10_000;
/** Servers whose last key fetch time is kept (to rate-limit refetches); the oldest goes first. */
const LAST_FETCH_ENTRIES = 10_000;

export interface RemoteKeyStoreOptions {
  readonly serverName: string;
  readonly signingKey: SigningKey;
  readonly config: FederationConfig;
  readonly db: Database;
  readonly logger: Logger;
  readonly transport: KeyTransport;
  /** Default: Date.now. */
  readonly now?: () => number;
  /** Least time between two fetches of one server's keys. Default: 10 s. */
  readonly minRefetchIntervalMs?: number;
}

export class RemoteKeyStore implements ServerKeyStore, KeyNotary {
  readonly #options: RemoteKeyStoreOptions;
  readonly #now: () => number;
  readonly #inFlight = new Map<string, Promise<void>>();
  readonly #lastFetch = new Map<string, number>();
  // Keys read from PostgreSQL, kept a short while: every PDU and request checks one.
  readonly #memory = new Map<string, { info: VerifyKeyInfo; until: number }>();

  constructor(options: RemoteKeyStoreOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  /** The in-memory caches' sizes and bounds, by the name /metrics shows them under. */
  readonly cacheStats = {
    federation_server_keys: () => ({ entries: this.#memory.size, maxSize: MEMORY_ENTRIES }),
    federation_key_fetch_times: () => ({ entries: this.#lastFetch.size, maxSize: LAST_FETCH_ENTRIES }),
  };

  get notary(): KeyNotary {
    return this;
  }

  /** Our /_matrix/key/v2/server body: the current key, old_signing_keys, valid for key_refresh_interval. */
  ownKeys = (): JsonObject =>
    buildServerKeys({
      serverName: this.#options.serverName,
      signingKeys: [this.#options.signingKey],
      validUntilTs: this.#now() + this.#options.config.keyRefreshIntervalMs,
      oldVerifyKeys: this.#options.config.oldSigningKeys,
    });

  // An arrow property: callers pass it around unbound (lookupKey: federation.keys.lookupKey).
  lookupKey = async (serverName: string, keyId: string): Promise<VerifyKeyInfo | undefined> => {
    if (serverName === this.#options.serverName) return this.#ownKey(keyId);
    const now = this.#now();
    const remembered = this.#memory.get(`${serverName} ${keyId}`);
    if (remembered !== undefined && remembered.until > now) return remembered.info;
    let row = await getServerKey(this.#options.db, serverName, keyId);
    const fresh = row !== undefined && (row.expiredTs !== null || (row.validUntilTs !== null && effectiveKeyValidUntil(row.validUntilTs, row.fetchedTs) > now));
    if (!fresh) {
      await this.#refresh(serverName, [keyId], now);
      row = (await getServerKey(this.#options.db, serverName, keyId)) ?? row;
    }
    if (row === undefined) return undefined;
    const info: VerifyKeyInfo =
      row.expiredTs !== null ? { publicKey: row.verifyKey, expiredTs: row.expiredTs } : { publicKey: row.verifyKey, validUntilTs: effectiveKeyValidUntil(row.validUntilTs ?? 0, row.fetchedTs) };
    // Remembered no longer than the key is valid, so a stale key still goes back to PostgreSQL and a refetch.
    const until = Math.min(now + MEMORY_MS, info.validUntilTs ?? Number.MAX_SAFE_INTEGER);
    if (until > now) {
      if (this.#memory.size >= MEMORY_ENTRIES) this.#memory.clear();
      this.#memory.set(`${serverName} ${keyId}`, { info, until });
    }
    return info;
  };

  #ownKey(keyId: string): VerifyKeyInfo | undefined {
    if (keyId === this.#options.signingKey.keyId) return { publicKey: this.#options.signingKey.publicKey };
    const old = this.#options.config.oldSigningKeys[keyId];
    return old === undefined ? undefined : { publicKey: decodeVerifyKey(old.key), expiredTs: old.expiredTs };
  }

  /** Fetches `serverName`'s keys (coalesced, rate-limited), storing what verifies. Never throws. */
  async #refresh(serverName: string, keyIds: readonly string[], minimumValidUntilTs: number): Promise<void> {
    const running = this.#inFlight.get(serverName);
    if (running !== undefined) return running;
    const last = this.#lastFetch.get(serverName);
    if (last !== undefined && this.#now() - last < (this.#options.minRefetchIntervalMs ?? 10_000)) return;
    this.#lastFetch.delete(serverName);
    this.#lastFetch.set(serverName, this.#now());
    if (this.#lastFetch.size > LAST_FETCH_ENTRIES) this.#lastFetch.delete(this.#lastFetch.keys().next().value!);
    const work = this.#fetchAndStore(serverName, keyIds, minimumValidUntilTs).finally(() => this.#inFlight.delete(serverName));
    this.#inFlight.set(serverName, work);
    return work;
  }

  async #fetchAndStore(serverName: string, keyIds: readonly string[], minimumValidUntilTs: number): Promise<void> {
    const log = this.#options.logger;
    const covers = (fetched: FetchedKeys) => keyIds.every((id) => fetched.keys.verifyKeys.has(id) || fetched.keys.oldVerifyKeys.has(id)) && fetched.keys.validUntilTs >= minimumValidUntilTs;
    try {
      const direct = await fetchKeysDirect(this.#options.transport, serverName);
      await this.#store(direct);
      if (covers(direct)) return;
    } catch (error) {
      log.info({ server: serverName, err: (error as Error).message }, 'cannot fetch server keys directly');
    }
    for (const notary of this.#options.config.trustedKeyServers) {
      if (notary.serverName === serverName) continue;
      try {
        const answers = await fetchKeysFromNotary(this.#options.transport, notary, serverName, { keyIds, minimumValidUntilTs });
        for (const answer of answers) await this.#store(answer);
        if (answers.some(covers)) return;
      } catch (error) {
        log.info({ server: serverName, notary: notary.serverName, err: (error as Error).message }, 'cannot fetch server keys from notary');
      }
    }
  }

  async #store(fetched: FetchedKeys): Promise<void> {
    const keys: ServerKeys = fetched.keys;
    await this.#options.db.transaction((tx) =>
      storeServerKeyResponse(tx, {
        serverName: keys.serverName,
        fromServer: fetched.fromServer,
        fetchedTs: this.#now(),
        validUntilTs: keys.validUntilTs,
        keyJson: encodeCanonicalJson(keys.json),
        verifyKeys: keys.verifyKeys,
        oldVerifyKeys: keys.oldVerifyKeys,
      }),
    );
  }

  /**
   * Notary answer for `serverName`: its signed key responses, each countersigned by us. A cached
   * response is refetched from the server when it does not reach `minimumValidUntilTs` or is past
   * half its lifetime; when the server cannot be reached the cached ones are answered anyway.
   */
  query = async (serverName: string, minimumValidUntilTs: number): Promise<JsonObject[]> => {
    if (serverName === this.#options.serverName) return [this.ownKeys()];
    const now = this.#now();
    const cached = await getServerKeyResponses(this.#options.db, serverName);
    const best = cached[0];
    const halfLife = best === undefined ? 0 : best.fetchedTs + (best.validUntilTs - best.fetchedTs) / 2;
    if (best === undefined || best.validUntilTs < minimumValidUntilTs || halfLife < now) {
      await this.#refresh(serverName, [], minimumValidUntilTs);
    }
    const responses = await getServerKeyResponses(this.#options.db, serverName);
    return responses.map((response) => signJson(parseJson(response.keyJson, { strict: false }) as JsonObject, this.#options.serverName, this.#options.signingKey));
  };
}
