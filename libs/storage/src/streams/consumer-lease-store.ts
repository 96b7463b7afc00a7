// Shard leases of durable sharded stream consumers (table stream_consumer_leases). Expiry uses
// the database's clock, so hosts with skewed clocks agree on when a lease lapsed.
import type { Queryable } from '../database.ts';

export interface ShardLeaseKey {
  readonly consumer: string;
  readonly shard: number;
  readonly holder: string;
}

export interface HeldShardLease extends ShardLeaseKey {
  readonly epoch: number;
}

/** Takes the shard if it is free or its lease expired; returns the new epoch, or undefined if another holder has it. */
export async function takeShardLease(db: Queryable, key: ShardLeaseKey, ttlMs: number): Promise<number | undefined> {
  const { rows } = await db.query<{ epoch: number }>(
    `INSERT INTO stream_consumer_leases AS l (consumer, shard, holder, epoch, expires_at)
     VALUES ($1, $2, $3, 1, now() + make_interval(secs => $4::float8 / 1000))
     ON CONFLICT (consumer, shard) DO UPDATE
       SET holder = EXCLUDED.holder, epoch = l.epoch + 1, expires_at = EXCLUDED.expires_at
       WHERE l.holder IS NULL OR l.expires_at < now()
     RETURNING epoch`,
    [key.consumer, key.shard, key.holder, ttlMs],
  );
  return rows[0] === undefined ? undefined : Number(rows[0].epoch);
}

/**
 * Extends held leases (of any consumers and holders: a process renews every consumer's in one
 * statement) by `ttlMs` each; returns the leases it extended (a missing one lapsed and was taken,
 * or was released).
 */
export async function renewShardLeases(db: Queryable, leases: ReadonlyArray<HeldShardLease & { readonly ttlMs: number }>): Promise<Array<{ consumer: string; shard: number }>> {
  if (leases.length === 0) return [];
  const { rows } = await db.query<{ consumer: string; shard: number }>(
    `UPDATE stream_consumer_leases l SET expires_at = now() + make_interval(secs => held.ttl_ms / 1000)
       FROM unnest($1::text[], $2::int4[], $3::text[], $4::int8[], $5::float8[]) AS held(consumer, shard, holder, epoch, ttl_ms)
      WHERE l.consumer = held.consumer AND l.shard = held.shard AND l.holder = held.holder AND l.epoch = held.epoch
      RETURNING l.consumer, l.shard`,
    [leases.map((l) => l.consumer), leases.map((l) => l.shard), leases.map((l) => l.holder), leases.map((l) => l.epoch), leases.map((l) => l.ttlMs)],
  );
  return rows.map((row) => ({ consumer: row.consumer, shard: Number(row.shard) }));
}

/** Gives a held lease up at once (the next taker need not wait for the expiry). */
export async function releaseShardLease(db: Queryable, lease: HeldShardLease): Promise<void> {
  await db.query(
    `UPDATE stream_consumer_leases SET holder = NULL, expires_at = '-infinity'
     WHERE consumer = $1 AND shard = $2 AND holder = $3 AND epoch = $4`,
    [lease.consumer, lease.shard, lease.holder, lease.epoch],
  );
}

/**
 * Inside a transaction: true while `lease` is current and unexpired, and keeps it so until the
 * transaction ends (the row is share-locked, so a taker's update waits for our commit).
 */
export async function holdsShardLease(tx: Queryable, lease: HeldShardLease): Promise<boolean> {
  const { rows } = await tx.query(
    `SELECT 1 FROM stream_consumer_leases
     WHERE consumer = $1 AND shard = $2 AND holder = $3 AND epoch = $4 AND expires_at > now() FOR SHARE`,
    [lease.consumer, lease.shard, lease.holder, lease.epoch],
  );
  return rows.length > 0;
}

/** Every shard lease of `consumer`, for operators and tests. */
export async function listShardLeases(db: Queryable, consumer: string): Promise<Array<{ shard: number; holder: string | undefined; epoch: number; live: boolean }>> {
  const { rows } = await db.query<{ shard: number; holder: string | null; epoch: number; live: boolean }>(
    'SELECT shard, holder, epoch, expires_at > now() AS live FROM stream_consumer_leases WHERE consumer = $1 ORDER BY shard',
    [consumer],
  );
  return rows.map((row) => ({ shard: row.shard, holder: row.holder ?? undefined, epoch: Number(row.epoch), live: row.live }));
}
