// The guest allowlist: Synapse's allow_guest=True endpoints pass under every prefix, with or
// without a query string; everything else (account settings, push rules, filters, typing,
// receipts, logout, room creation, other membership actions) does not.
import { describe, expect, it } from 'vitest';
import { guestMayAccess } from './guest-access.ts';

const R = '/_matrix/client/v3/rooms/!r:x';

describe('guestMayAccess', () => {
  it.each([
    ['GET', '/_matrix/client/versions'],
    ['GET', '/_matrix/client/v3/account/whoami?access_token=abc'],
    ['GET', '/_matrix/client/r0/sync?since=s1'],
    ['GET', '/_matrix/client/api/v1/events'],
    ['POST', '/_matrix/client/v3/join/%23room:x'],
    ['POST', `${R}/join`],
    ['POST', `${R}/leave`],
    ['PUT', `${R}/send/m.room.message/txn1`],
    ['GET', `${R}/messages`],
    ['GET', `${R}/state/m.room.name/`],
    ['PUT', `${R}/state/m.room.topic`],
    ['GET', `${R}/context/$e`],
    ['GET', `/_matrix/client/v1/rooms/!r:x/hierarchy`],
    ['GET', `/_matrix/client/v1/rooms/!r:x/relations/$e/m.thread`],
    ['PUT', '/_matrix/client/v3/profile/@g:x/displayname'],
    ['GET', '/_matrix/client/v3/profile/@g:x'],
    ['POST', '/_matrix/client/v3/keys/query'],
    ['PUT', '/_matrix/client/v3/sendToDevice/m.room.encrypted/t1'],
    ['GET', '/_matrix/client/v1/media/download/x/y'],
    ['HEAD', '/_matrix/client/v3/capabilities'],
  ])('lets a guest %s %s', (method, path) => {
    expect(guestMayAccess(method, path)).toBe(true);
  });

  it.each([
    ['POST', '/_matrix/client/v3/createRoom'],
    ['POST', `${R}/invite`],
    ['POST', `${R}/kick`],
    ['PUT', `${R}/typing/@g:x`],
    ['POST', `${R}/receipt/m.read/$e`],
    ['PUT', `${R}/redact/$e/t1`],
    ['POST', '/_matrix/client/v3/search'],
    ['GET', '/_matrix/client/v3/pushrules/'],
    ['POST', '/_matrix/client/v3/user/@g:x/filter'],
    ['PUT', '/_matrix/client/v3/user/@g:x/account_data/x'],
    ['GET', '/_matrix/client/v3/account/3pid'],
    ['POST', '/_matrix/client/v3/logout'],
    ['PUT', '/_matrix/client/v3/profile/@g:x/avatar_url'],
    ['DELETE', '/_matrix/client/v3/devices/guest_device'],
    ['GET', `${R}/joined_members`],
  ])('refuses a guest %s %s', (method, path) => {
    expect(guestMayAccess(method, path)).toBe(false);
  });
});
