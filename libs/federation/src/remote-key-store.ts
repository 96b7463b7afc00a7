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
import { getServerKey, getServerKeyResponses, storeServerKeyResponse, type Database, type StoredKeyResponse } from '@homeserver/storage';
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
  readonly #inFlight = new Map<string, Promise<boolean>>();
  /** When each server's keys were last fetched, and whether anything came back. */
  readonly #lastFetch = new Map<string, { at: number; ok: boolean }>();
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
      await this.#refresh(serverName, [keyId], now, 'always');
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

  /**
   * Fetches `serverName`'s keys (coalesced, rate-limited), storing what verifies; true when a
   * response came back. Never throws. Verifying a signature refetches at most once per interval
   * whatever came of the last fetch (a flood of events naming unknown keys of a server must not
   * become a flood of requests to it). A notary query refetching keys it holds only after a
   * failed fetch, so that a requester asking for a later validity gets the server asked again;
   * one for keys it does not hold always asks (one fetch per server at a time), as Synapse does.
   */
  async #refresh(serverName: string, keyIds: readonly string[], minimumValidUntilTs: number, limit: 'always' | 'after-failure' | 'never'): Promise<boolean> {
    const running = this.#inFlight.get(serverName);
    if (running !== undefined) return running;
    const last = this.#lastFetch.get(serverName);
    const held = limit === 'always' || (limit === 'after-failure' && last?.ok === false);
    if (held && last !== undefined && this.#now() - last.at < (this.#options.minRefetchIntervalMs ?? 10_000)) return false;
    const work = this.#fetchAndStore(serverName, keyIds, minimumValidUntilTs)
      .then((ok) => {
        this.#lastFetch.delete(serverName);
        this.#lastFetch.set(serverName, { at: this.#now(), ok });
        if (this.#lastFetch.size > LAST_FETCH_ENTRIES) this.#lastFetch.delete(this.#lastFetch.keys().next().value!);
        return ok;
      })
      .finally(() => this.#inFlight.delete(serverName));
    this.#inFlight.set(serverName, work);
    return work;
  }

  async #fetchAndStore(serverName: string, keyIds: readonly string[], minimumValidUntilTs: number): Promise<boolean> {
    const log = this.#options.logger;
    const covers = (fetched: FetchedKeys) => keyIds.every((id) => fetched.keys.verifyKeys.has(id) || fetched.keys.oldVerifyKeys.has(id)) && fetched.keys.validUntilTs >= minimumValidUntilTs;
    let ok = false;
    try {
      const direct = await fetchKeysDirect(this.#options.transport, serverName);
      await this.#store(direct);
      ok = true;
      if (covers(direct)) return ok;
    } catch (error) {
      log.info({ server: serverName, err: (error as Error).message }, 'cannot fetch server keys directly');
    }
    for (const notary of this.#options.config.trustedKeyServers) {
      if (notary.serverName === serverName) continue;
      try {
        const answers = await fetchKeysFromNotary(this.#options.transport, notary, serverName, { keyIds, minimumValidUntilTs });
        for (const answer of answers) await this.#store(answer);
        ok ||= answers.length > 0;
        if (answers.some(covers)) return ok;
      } catch (error) {
        log.info({ server: serverName, notary: notary.serverName, err: (error as Error).message }, 'cannot fetch server keys from notary');
      }
    }
    return ok;
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
   * Notary answer for `serverName`: its signed key responses (those listing one of `keyIds` when
   * some are named), each countersigned by us. The server is asked again when a named key is not
   * held, or (for each named key, else for the freshest response) the response does not reach
   * `minimumValidUntilTs` when one is asked for, or is past half its lifetime when none is, as
   * Synapse decides. When the server cannot be reached the cached responses are answered anyway
   * (expired ones included: the requester judges their validity).
   */
  query = async (serverName: string, minimumValidUntilTs: number | undefined, keyIds: readonly string[] = []): Promise<JsonObject[]> => {
    if (serverName === this.#options.serverName) return [this.ownKeys()];
    const now = this.#now();
    const cached = await getServerKeyResponses(this.#options.db, serverName, keyIds);
    const stale = (r: StoredKeyResponse) => (minimumValidUntilTs !== undefined ? r.validUntilTs < minimumValidUntilTs : r.fetchedTs + (r.validUntilTs - r.fetchedTs) / 2 < now);
    const relevant = keyIds.length === 0 ? [cached[0]] : keyIds.map((id) => cached.find((response) => keyIdsOf(response.keyJson).includes(id)));
    const missing = relevant.some((response) => response === undefined);
    if (missing || relevant.some((response) => stale(response!))) {
      await this.#refresh(serverName, keyIds, minimumValidUntilTs ?? now, missing ? 'never' : 'after-failure');
    }
    const responses = await getServerKeyResponses(this.#options.db, serverName, keyIds);
    return responses.map((response) => signJson(parseJson(response.keyJson, { strict: false }) as JsonObject, this.#options.serverName, this.#options.signingKey));
  };
}

/** The key IDs a stored response lists (current and old). */
function keyIdsOf(keyJson: string): string[] {
  const json = parseJson(keyJson, { strict: false }) as JsonObject;
  const ids = (field: string) => (typeof json[field] === 'object' && json[field] !== null && !Array.isArray(json[field]) ? Object.keys(json[field]) : []);
  return [...ids('verify_keys'), ...ids('old_verify_keys')];
}
