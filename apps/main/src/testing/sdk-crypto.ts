// matrix-js-sdk clients with their Rust crypto (the WASM build the SDK ships, in-memory crypto
// store) for integration tests, each server's clients over a connection pool of their own.
import { ClientEvent, SyncState, type MatrixClient } from 'matrix-js-sdk';
import type { CryptoApi } from 'matrix-js-sdk/lib/crypto-api/index.js';
import type { SdkUser } from './sdk-clients.ts';
import { SpecCheckedFetch } from './spec-checked-fetch.ts';

export const MEGOLM = 'm.megolm.v1.aes-sha2';

export interface CryptoUser extends SdkUser {
  readonly crypto: CryptoApi;
  readonly deviceId: string;
}

/** What the tests need of an undici dispatcher (the `dispatcher` Node's fetch accepts). */
interface Dispatcher {
  destroy(): Promise<void>;
}

/**
 * A connection pool of the SDK clients' own, built from the class of Node's global fetch
 * dispatcher (undici keeps it under this registered symbol). When a client stops, undici may
 * reconnect for a request that was aborted meanwhile and leave that socket open without ever
 * sending on it; the server's graceful close then waits for it until its headers timeout
 * (~70 s). Destroying this pool before the server stops closes such sockets at once.
 */
export async function privateDispatcher(baseUrl: string): Promise<Dispatcher> {
  const key = Symbol.for('undici.globalDispatcher.1');
  // Node creates its global dispatcher with the first fetch.
  await (await fetch(`${baseUrl}/health`)).text();
  const global = (globalThis as Record<symbol, unknown>)[key];
  if (global === undefined) throw new Error('Node has no undici global dispatcher to copy');
  const Agent = (global as { constructor: new () => Dispatcher }).constructor;
  return new Agent();
}

/**
 * The spec-checking fetch over a dispatcher of its own (see privateDispatcher), tracking the
 * requests in flight: the Rust crypto layer may still be uploading when its client stops.
 */
export class PooledFetch extends SpecCheckedFetch {
  declare readonly fetch: typeof globalThis.fetch;
  readonly #dispatcher: Dispatcher;
  readonly #inFlight = new Set<Promise<unknown>>();
  /** The requests in flight other than /sync long-polls, and how many such were ever sent. */
  readonly #working = new Set<Promise<unknown>>();
  #workSent = 0;

  constructor(dispatcher: Dispatcher) {
    super();
    this.#dispatcher = dispatcher;
    const checked = this.fetch;
    this.fetch = (input, init) => {
      const response = checked(input, { ...init, dispatcher } as RequestInit);
      const settled = response.then(
        () => undefined,
        () => undefined,
      );
      this.#inFlight.add(settled);
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      const work = !new URL(url).pathname.endsWith('/sync');
      if (work) {
        this.#working.add(settled);
        this.#workSent += 1;
      }
      void settled.then(() => {
        this.#inFlight.delete(settled);
        this.#working.delete(settled);
      });
      return response;
    };
  }

  /**
   * Resolves once the clients have sent nothing but /sync long-polls for `forMs`: the work a
   * client still does for what its last sync brought (the SDK queries the sender's keys before it
   * takes an in-room verification request) is over. A client stopped in the middle of that work
   * rejects a promise nobody awaits ("MatrixClient has been stopped"), which fails the run.
   */
  async quiet(forMs = 300, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      while (this.#working.size > 0 && Date.now() < deadline) await Promise.race([Promise.all([...this.#working]), new Promise((r) => setTimeout(r, 1000))]);
      const sent = this.#workSent;
      await new Promise((resolve) => setTimeout(resolve, forMs));
      if ((this.#workSent === sent && this.#working.size === 0) || Date.now() >= deadline) return;
    }
  }

  /** Waits for every request sent so far to be answered (or aborted), then closes the pool's sockets. */
  async close(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.all([...this.#inFlight]);
    await this.#dispatcher.destroy();
  }
}

/**
 * Turns on Rust crypto (in memory: Node has no IndexedDB) and syncs until the SDK is prepared;
 * the client is added to `started` (the caller stops them).
 */
export async function startCryptoClient(user: SdkUser, started: MatrixClient[]): Promise<CryptoUser> {
  await user.client.initRustCrypto({ useIndexedDB: false });
  const crypto = user.client.getCrypto();
  if (!crypto) throw new Error(`${user.userId}: initRustCrypto left no crypto API`);
  started.push(user.client);
  const prepared = new Promise<void>((resolve, reject) => {
    user.client.on(ClientEvent.Sync, (state, _prev, data) => {
      if (state === SyncState.Prepared) resolve();
      if (state === SyncState.Error) reject(new Error(`SDK sync failed: ${String(data?.error)}`));
    });
  });
  await user.client.startClient({ initialSyncLimit: 20 });
  await prepared;
  return { ...user, crypto, deviceId: user.client.getDeviceId()! };
}
