-- Access-token caches (issue 14): every process caches who owns a token, and must forget it the
-- moment the token is revoked or its user changes, whichever process or code path did it. These
-- triggers NOTIFY the owner's user ID on channel hs_access_tokens when a token row is changed or
-- deleted (logout, device deletion, refresh, password change...) or a user's flags that decide
-- what a token may do change (deactivation, lock, admin, shadow ban, guest upgrade). NOTIFY is
-- delivered at commit to every process listening on this database, and duplicates within a
-- transaction are sent once.
CREATE OR REPLACE FUNCTION notify_access_token_owner() RETURNS trigger AS $$
BEGIN
  PERFORM pg_notify('hs_access_tokens', OLD.user_id);
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS access_tokens_changed ON access_tokens;
CREATE TRIGGER access_tokens_changed AFTER UPDATE OR DELETE ON access_tokens
  FOR EACH ROW EXECUTE FUNCTION notify_access_token_owner();

DROP TRIGGER IF EXISTS users_token_flags_changed ON users;
CREATE TRIGGER users_token_flags_changed AFTER UPDATE ON users
  FOR EACH ROW
  WHEN (OLD.deactivated IS DISTINCT FROM NEW.deactivated OR OLD.locked IS DISTINCT FROM NEW.locked OR OLD.admin IS DISTINCT FROM NEW.admin
        OR OLD.shadow_banned IS DISTINCT FROM NEW.shadow_banned OR OLD.is_guest IS DISTINCT FROM NEW.is_guest)
  EXECUTE FUNCTION notify_access_token_owner();
