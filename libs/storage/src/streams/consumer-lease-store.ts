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

/** Extends a held lease; false if it lapsed and someone else took it (or it was released). */
export async function renewShardLease(db: Queryable, lease: HeldShardLease, ttlMs: number): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE stream_consumer_leases SET expires_at = now() + make_interval(secs => $5::float8 / 1000)
     WHERE consumer = $1 AND shard = $2 AND holder = $3 AND epoch = $4`,
    [lease.consumer, lease.shard, lease.holder, lease.epoch, ttlMs],
  );
  return rowCount > 0;
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
