-- User-interactive auth sessions remember what the first request asked for (Synapse's
-- clientdict: a registration's username, password, device and inhibit_login, so a client may
-- complete stages with `auth` alone) and, once a registration succeeded, whom it registered (a
-- replay of the completed session logs that user in again instead of failing).
ALTER TABLE ui_auth_sessions ADD COLUMN IF NOT EXISTS client_dict jsonb;
ALTER TABLE ui_auth_sessions ADD COLUMN IF NOT EXISTS registered_user_id text;
