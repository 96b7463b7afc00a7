// Where a durable stream consumer starts the first time it runs: each writer's persisted
// position at that moment (stream_positions), stored as the consumer's own progress
// (stream_consumer_positions). Seeding before the consumer takes its lease means events written
// while it waits for the lease are still delivered to it. A consumer that already has progress
// keeps it.
import type { Queryable } from './database.ts';

export async function seedConsumerPositions(db: Queryable, consumer: string, stream: string, writers: readonly string[]): Promise<void> {
  await db.query(
    `INSERT INTO stream_consumer_positions (consumer, stream, writer, position)
     SELECT $1, $2, w, COALESCE((SELECT position FROM stream_positions WHERE stream = $2 AND instance_name = w), 0)
       FROM unnest($3::text[]) AS w
     ON CONFLICT (consumer, stream, writer) DO NOTHING`,
    [consumer, stream, [...writers]],
  );
}
