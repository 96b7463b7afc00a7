-- Cluster membership (libs/actors cluster-membership.ts): each process refreshes its row while it
-- runs, so operators and the admin topology page see when every instance was last alive and what
-- it last reported, including instances that are gone.
ALTER TABLE instances ADD COLUMN IF NOT EXISTS last_seen_at timestamptz;
ALTER TABLE instances ADD COLUMN IF NOT EXISTS incarnation text;
ALTER TABLE instances ADD COLUMN IF NOT EXISTS stopped_at timestamptz;
-- The last heartbeat of the instance as JSON (roles, stream writers and readers, actor kinds).
ALTER TABLE instances ADD COLUMN IF NOT EXISTS report jsonb;
