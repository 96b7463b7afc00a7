// What the stream writers and sharded consumers of one process do on their timers, done
// together: those that share a period are ticked by one timer (not one each: main's six stream
// writers wake it twice a second, not twelve times), and the shard leases the consumers renew in
// that turn go to PostgreSQL in one statement (a federation sender runs six consumers: at rest it
// renews every lease with one UPDATE per period, not six).
import { renewShardLeases, type HeldShardLease, type Queryable } from '@homeserver/storage';

interface Ticker {
  readonly timer: NodeJS.Timeout;
  readonly callbacks: Set<() => void>;
}

const tickers = new Map<number, Ticker>();

/** Calls `callback` every `periodMs` on the timer every caller with that period shares; returns the cancel. */
export function everyTogether(periodMs: number, callback: () => void): () => void {
  let ticker = tickers.get(periodMs);
  if (!ticker) {
    const callbacks = new Set<() => void>();
    const timer = setInterval(() => {
      for (const run of callbacks) run();
    }, periodMs);
    timer.unref();
    ticker = { timer, callbacks };
    tickers.set(periodMs, ticker);
  }
  ticker.callbacks.add(callback);
  const mine = ticker;
  return () => {
    mine.callbacks.delete(callback);
    if (mine.callbacks.size === 0 && tickers.get(periodMs) === mine) {
      clearInterval(mine.timer);
      tickers.delete(periodMs);
    }
  };
}

interface Renewal {
  readonly leases: readonly HeldShardLease[];
  readonly ttlMs: number;
  resolve(renewed: Set<number>): void;
  reject(error: unknown): void;
}

/** Renewals asked for in the current turn, per database, sent together once the turn is over. */
const gathering = new WeakMap<Queryable, Renewal[]>();

/**
 * Extends `leases` (of one consumer) by `ttlMs`, in one statement with every other renewal asked
 * for on `db` in the same turn of the event loop; resolves with the shards whose lease it extended.
 */
export function renewTogether(db: Queryable, leases: readonly HeldShardLease[], ttlMs: number): Promise<Set<number>> {
  if (leases.length === 0) return Promise.resolve(new Set());
  let batch = gathering.get(db);
  if (!batch) {
    const renewals: Renewal[] = [];
    batch = renewals;
    gathering.set(db, renewals);
    setImmediate(() => {
      gathering.delete(db);
      void flush(db, renewals);
    });
  }
  return new Promise((resolve, reject) => batch.push({ leases, ttlMs, resolve, reject }));
}

async function flush(db: Queryable, renewals: readonly Renewal[]): Promise<void> {
  try {
    const renewed = await renewShardLeases(db, renewals.flatMap((r) => r.leases.map((lease) => ({ ...lease, ttlMs: r.ttlMs }))));
    const keys = new Set(renewed.map((lease) => `${lease.consumer}#${lease.shard}`));
    for (const renewal of renewals) renewal.resolve(new Set(renewal.leases.filter((lease) => keys.has(`${lease.consumer}#${lease.shard}`)).map((lease) => lease.shard)));
  } catch (error) {
    for (const renewal of renewals) renewal.reject(error);
  }
}
