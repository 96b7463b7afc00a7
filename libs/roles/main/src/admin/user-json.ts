// Users in Synapse's admin shapes: the list item of GET /v2/users (creation_ts in ms) and the
// full record of GET/PUT /v2/users/{userId} (creation_ts in seconds, as Synapse stores it).
import type { AdminUserRow } from '@homeserver/storage';

export function userListItem(u: AdminUserRow): Record<string, unknown> {
  return {
    name: u.userId,
    user_type: u.userType,
    is_guest: u.isGuest,
    admin: u.admin,
    deactivated: u.deactivated,
    shadow_banned: u.shadowBanned,
    displayname: u.displayname,
    avatar_url: u.avatarUrl,
    creation_ts: u.createdTs,
    erased: u.erased,
    last_seen_ts: u.lastSeenTs,
    locked: u.locked,
  };
}

export function userDetails(u: AdminUserRow): Record<string, unknown> {
  return {
    name: u.userId,
    admin: u.admin,
    deactivated: u.deactivated,
    locked: u.locked,
    shadow_banned: u.shadowBanned,
    creation_ts: Math.floor(u.createdTs / 1000),
    // No application services, consent tracking or suspension here: Synapse's values for none.
    appservice_id: null,
    consent_server_notice_sent: null,
    consent_version: null,
    consent_ts: null,
    user_type: u.userType,
    is_guest: u.isGuest,
    suspended: false,
    displayname: u.displayname,
    avatar_url: u.avatarUrl,
    // Nothing can add a 3PID or an external ID to an account here.
    threepids: [],
    external_ids: [],
    erased: u.erased,
    last_seen_ts: u.lastSeenTs,
  };
}
