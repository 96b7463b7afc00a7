-- Core bookkeeping shared by every process.

-- One row per process instance that ever started, for operators and for position tracking.
CREATE TABLE IF NOT EXISTS instances (
  instance_name text PRIMARY KEY,
  worker_app text NOT NULL,
  started_at timestamptz NOT NULL DEFAULT now()
);
