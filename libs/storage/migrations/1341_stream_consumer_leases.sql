-- Leases of durable sharded stream consumers (libs/streams sharded-consumer.ts): one row per
-- (consumer, shard). The holder renews it before expires_at; a dead holder's shard is free once
-- it expires. epoch grows at every change of holder, and each delivery checks holder and epoch
-- inside its transaction, so a holder that lost the lease can never save a position.
CREATE TABLE IF NOT EXISTS stream_consumer_leases (
  consumer text NOT NULL,
  shard int4 NOT NULL,
  holder text,
  epoch int8 NOT NULL DEFAULT 0,
  expires_at timestamptz NOT NULL DEFAULT '-infinity',
  PRIMARY KEY (consumer, shard)
);
