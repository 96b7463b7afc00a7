-- Device-list changes waiting for the device_lists writer. The process that changes a device
-- (login, deletion, key upload: any edge) queues the change here in its own transaction; the
-- writer named in stream_writers.device_lists moves queued rows into device_list_changes at
-- stream positions it allocates, after each such transaction and when it starts. A change is
-- thus never lost between the edge's commit and the writer, wherever the writer runs.
CREATE TABLE IF NOT EXISTS device_list_outbox (
  id BIGSERIAL PRIMARY KEY,
  user_id TEXT NOT NULL,
  device_id TEXT NOT NULL
);
