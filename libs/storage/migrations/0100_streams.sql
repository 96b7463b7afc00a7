-- Replication streams (libs/streams): per-writer positions, durable consumer checkpoints, and
-- the small integer ids that keep writer names out of sync tokens. Each stream's position
-- sequence (stream_seq_<name>) is created by its first writer, since stream names are config.

-- The position each writer of each stream has announced: every row of that writer at or below
-- it is committed. Readers fall back to it when the writer does not answer.
CREATE TABLE IF NOT EXISTS stream_positions (
  stream text NOT NULL,
  instance_name text NOT NULL,
  position int8 NOT NULL,
  PRIMARY KEY (stream, instance_name)
);

-- How far a durable consumer (pusher, federation sender...) has processed each writer.
CREATE TABLE IF NOT EXISTS stream_consumer_positions (
  consumer text NOT NULL,
  stream text NOT NULL,
  writer text NOT NULL,
  position int8 NOT NULL,
  PRIMARY KEY (consumer, stream, writer)
);

-- Writer instance names as small integers, for compact tokens (ids are never reused).
CREATE TABLE IF NOT EXISTS stream_writer_ids (
  id serial PRIMARY KEY,
  instance_name text NOT NULL UNIQUE
);
