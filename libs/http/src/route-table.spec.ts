import { describe, expect, it } from 'vitest';
import { routeEntriesFor, routeEntryFor, routeTableProblems, samplePath } from './route-match.ts';
import { ROUTE_TABLE, type RouteEntry } from './route-table.ts';

// Real request paths (as a proxy sees them, decoded) and where the table sends them.
const REQUESTS: ReadonlyArray<[method: string, path: string, id: string | undefined, role: string, auth: string]> = [
  ['GET', '/_matrix/client/v3/sync', 'client.sync', 'sync', 'required'],
  ['GET', '/_matrix/client/r0/sync', 'client.sync', 'sync', 'required'],
  ['GET', '/_matrix/client/v3/events', 'client.events', 'sync', 'required'],
  ['GET', '/_matrix/client/api/v1/initialSync', 'client.initial-sync', 'sync', 'required'],
  ['GET', '/_matrix/client/v3/rooms/!r:x/initialSync', 'client.room-initial-sync', 'sync', 'required'],
  ['GET', '/_matrix/client/v3/keys/changes', 'client.keys-changes', 'sync', 'required'],
  ['POST', '/_matrix/client/v3/keys/query', 'client.keys', 'main', 'required'],
  ['POST', '/_matrix/client/v3/keys/upload/DEVICE', 'client.keys', 'main', 'required'],
  ['GET', '/_matrix/client/versions', 'client.versions', 'main', 'optional'],
  ['GET', '/.well-known/matrix/client', 'well-known', 'main', 'none'],
  ['POST', '/_matrix/client/v3/login', 'client.login', 'main', 'none'],
  ['POST', '/_matrix/client/v3/logout/all', 'client.logout', 'main', 'required'],
  ['POST', '/_matrix/client/v1/refresh', 'client.refresh', 'main', 'none'],
  ['POST', '/_matrix/client/v3/register', 'client.register', 'main', 'none'],
  ['POST', '/_synapse/admin/v1/register', 'admin.register', 'main', 'none'],
  ['GET', '/_synapse/admin/v1/server_version', 'admin.main', 'main', 'required'],
  ['GET', '/_synapse/admin/v2/users', 'admin.main', 'main', 'required'],
  ['PUT', '/_synapse/admin/v2/users/@a:x', 'admin.main', 'main', 'required'],
  ['GET', '/_synapse/admin/v1/users/@a:x/joined_rooms', 'admin.main', 'main', 'required'],
  ['DELETE', '/_synapse/admin/v2/rooms/!r:x', 'admin.main', 'main', 'required'],
  ['GET', '/_synapse/admin/v1/registration_tokens', 'admin.main', 'main', 'required'],
  ['GET', '/_synapse/admin/v1/room/!r:x/media', 'admin.media', 'media', 'required'],
  ['GET', '/_homeserver/admin/topology', 'homeserver.admin', 'main', 'required'],
  ['POST', '/_matrix/client/v3/register/email/requestToken', 'client.request-token', 'main', 'none'],
  ['POST', '/_matrix/client/v3/account/password/msisdn/requestToken', 'client.request-token', 'main', 'none'],
  ['POST', '/_matrix/client/v3/account/3pid/unbind', 'client.account-3pid', 'main', 'required'],
  ['GET', '/_matrix/client/v3/account/3pid', 'client.account-3pid', 'main', 'required'],
  ['GET', '/_matrix/client/v3/profile/@a:x/displayname', 'client.profile-read', 'main', 'none'],
  ['HEAD', '/_matrix/client/v3/profile/@a:x', 'client.profile-read', 'main', 'none'],
  ['PUT', '/_matrix/client/v3/profile/@a:x/displayname', 'client.profile-write', 'main', 'required'],
  ['GET', '/_matrix/client/v3/devices', 'client.devices', 'main', 'required'],
  ['DELETE', '/_matrix/client/v3/devices/ABC', 'client.devices', 'main', 'required'],
  ['POST', '/_matrix/client/v3/delete_devices', 'client.delete-devices', 'main', 'required'],
  ['PUT', '/_matrix/client/v3/user/@a:x/rooms/!r:x/account_data/m.tag', 'client.account-data', 'main', 'required'],
  ['PUT', '/_matrix/client/v3/user/@a:x/rooms/!r:x/tags/u.work', 'client.tags', 'main', 'required'],
  ['GET', '/_matrix/client/v3/user/@a:x/filter/1', 'client.filter', 'main', 'required'],
  ['GET', '/_matrix/client/v3/pushrules/global/', 'client.push-rules', 'main', 'required'],
  ['POST', '/_matrix/client/v3/rooms/!r:x/join', 'client.membership', 'main', 'required'],
  ['POST', '/_matrix/client/v3/join/#a:x', 'client.join', 'main', 'required'],
  ['PUT', '/_matrix/client/v3/rooms/!r:x/send/m.room.message/t1', 'client.send', 'main', 'required'],
  ['PUT', '/_matrix/client/v3/rooms/!r:x/state/m.room.name/', 'client.state', 'main', 'required'],
  ['GET', '/_matrix/client/v3/rooms/!r:x/state', 'client.state', 'main', 'required'],
  ['GET', '/_matrix/client/v3/rooms/!r:x/messages', 'client.room-read', 'main', 'required'],
  ['GET', '/_matrix/client/v3/rooms/!r:x/context/$e', 'client.room-event', 'main', 'required'],
  ['PUT', '/_matrix/client/v3/rooms/!r:x/typing/@a:x', 'client.typing', 'main', 'required'],
  ['POST', '/_matrix/client/v3/rooms/!r:x/receipt/m.read/$e', 'client.receipts', 'main', 'required'],
  ['POST', '/_matrix/client/v3/rooms/!r:x/read_markers', 'client.receipts', 'main', 'required'],
  ['GET', '/_matrix/client/v1/rooms/!r:x/relations/$e/m.thread', 'client.relations', 'main', 'required'],
  ['GET', '/_matrix/client/v3/directory/room/#a:x', 'client.alias-read', 'main', 'none'],
  ['DELETE', '/_matrix/client/v3/directory/room/#a:x', 'client.alias-write', 'main', 'required'],
  ['GET', '/_matrix/client/v3/publicRooms', 'client.public-rooms-read', 'main', 'none'],
  ['POST', '/_matrix/client/v3/publicRooms', 'client.public-rooms-search', 'main', 'required'],
  ['PUT', '/_matrix/client/v3/sendToDevice/m.room_key/t1', 'client.send-to-device', 'main', 'required'],
  ['PUT', '/_matrix/client/v3/presence/@a:x/status', 'client.presence', 'main', 'required'],
  ['POST', '/_matrix/client/v3/user_directory/search', 'client.user-directory', 'main', 'required'],
  ['GET', '/_matrix/client/r0/notifications', 'client.notifications', 'main', 'required'],
  ['GET', '/_matrix/client/v3/thirdparty/protocols', 'client.thirdparty', 'main', 'required'],
  ['GET', '/_matrix/client/v3/thirdparty/location/irc', 'client.thirdparty', 'main', 'required'],
  ['GET', '/_matrix/client/api/v1/voip/turnServer', 'client.voip', 'main', 'required'],
  ['POST', '/_matrix/client/v3/rooms/!r:x/report/$e', 'client.report', 'main', 'required'],
  ['POST', '/_matrix/client/v3/rooms/!r:x/report', 'client.report', 'main', 'required'],
  ['POST', '/_matrix/client/v3/users/@a:x/report', 'client.user-report', 'main', 'required'],
  ['POST', '/_matrix/client/v3/user/@a:x/openid/request_token', 'client.openid', 'main', 'required'],
  ['PUT', '/_matrix/federation/v1/send/1700000000', 'federation.send', 'federation-reader', 'none'],
  ['PUT', '/_matrix/federation/v2/send_join/!r:x/$e', 'federation.other', 'federation-reader', 'none'],
  ['GET', '/_matrix/federation/v1/make_join/!r:x/@a:y', 'federation.other', 'federation-reader', 'none'],
  ['GET', '/_matrix/federation/v1/version', 'federation.other', 'federation-reader', 'none'],
  ['POST', '/_matrix/key/v2/query', 'keys.server', 'federation-reader', 'none'],
  ['GET', '/_matrix/federation/v1/media/download/abc', 'media.federation', 'media', 'none'],
  ['GET', '/_matrix/media/v3/download/x.org/abc', 'media.download-legacy', 'media', 'none'],
  ['GET', '/_matrix/media/r0/thumbnail/x.org/abc', 'media.download-legacy', 'media', 'none'],
  ['POST', '/_matrix/media/v3/upload', 'media.legacy', 'media', 'required'],
  ['GET', '/_matrix/media/v3/config', 'media.legacy', 'media', 'required'],
  ['GET', '/_matrix/client/v1/media/download/x.org/abc', 'media.client', 'media', 'required'],
  ['DELETE', '/_synapse/admin/v1/media/x.org/abc', 'admin.media', 'media', 'required'],
  ['GET', '/_synapse/admin/v1/users/@a:x/media', 'admin.media', 'media', 'required'],
  ['POST', '/_synapse/admin/v1/purge_media_cache', 'admin.media', 'media', 'required'],
  // Not listed: main serves it.
  ['GET', '/_matrix/client/v3/login/sso/redirect', undefined, 'main', 'unlisted'],
];

describe('ROUTE_TABLE', () => {
  it.each(REQUESTS)('%s %s -> %s', (method, path, id, role, auth) => {
    const entries = routeEntriesFor(method, path);
    expect(entries.length).toBeLessThanOrEqual(1);
    const entry = routeEntryFor(method, path);
    expect(entry?.id).toBe(id);
    expect(entry?.role ?? 'main').toBe(role);
    expect(entry?.auth ?? 'unlisted').toBe(auth);
  });

  it('has unique ids and anchored patterns that compile', () => {
    expect(new Set(ROUTE_TABLE.map((e) => e.id)).size).toBe(ROUTE_TABLE.length);
    for (const entry of ROUTE_TABLE) {
      expect(entry.pattern.startsWith('^'), entry.id).toBe(true);
      expect(() => new RegExp(entry.pattern), entry.id).not.toThrow();
    }
  });

  it('splits a family by method only with the same role and resource (a proxy routes by path alone)', () => {
    const byPattern = new Map<string, RouteEntry[]>();
    for (const entry of ROUTE_TABLE) byPattern.set(entry.pattern, [...(byPattern.get(entry.pattern) ?? []), entry]);
    for (const [pattern, entries] of byPattern) {
      if (entries.length === 1) continue;
      expect(new Set(entries.map((e) => `${e.role} ${e.resource} ${e.affinity}`)).size, pattern).toBe(1);
      const methods = entries.flatMap((e) => e.methods ?? ['*']);
      expect(methods.includes('*'), `${pattern} mixes an all-methods entry with method entries`).toBe(false);
      expect(new Set(methods).size, `${pattern} lists a method twice`).toBe(methods.length);
    }
  });

  it('gives the sync family the access-token affinity and inbound transactions the origin affinity', () => {
    expect(routeEntryFor('GET', '/_matrix/client/v3/sync')?.affinity).toBe('access-token');
    expect(routeEntryFor('GET', '/_matrix/client/v3/initialSync')?.affinity).toBe('access-token');
    expect(routeEntryFor('PUT', '/_matrix/federation/v1/send/1')?.affinity).toBe('origin');
    expect(routeEntryFor('PUT', '/_matrix/federation/v1/send_join/!r:x/$e')?.affinity).toBeUndefined();
    expect(routeEntryFor('GET', '/_matrix/client/v3/keys/changes')?.affinity).toBeUndefined();
  });
});

describe('samplePath', () => {
  it('turns route parameters into values no literal segment equals', () => {
    expect(samplePath('/_matrix/client/v3/rooms/:roomId/state/:eventType/:stateKey')).toBe('/_matrix/client/v3/rooms/{roomId}/state/{eventType}/{stateKey}');
    expect(samplePath('/_matrix/client/v3/pushrules/:scope/')).toBe('/_matrix/client/v3/pushrules/{scope}/');
    expect(samplePath('/static/*')).toBe('/static/{*}');
  });
});

describe('routeTableProblems', () => {
  const table: RouteEntry[] = [
    { id: 'a', pattern: '^/_matrix/client/v3/a$', role: 'main', resource: 'client', auth: 'required' },
    { id: 'b1', pattern: '^/_matrix/client/v3/b', role: 'sync', resource: 'client', auth: 'required' },
    { id: 'b2', pattern: '^/_matrix/client/v3/b/', role: 'sync', resource: 'client', auth: 'required' },
  ];

  it('accepts routes listed once under their role', () => {
    expect(routeTableProblems([{ method: 'GET', url: '/_matrix/client/v3/a', role: 'main' }], { table })).toEqual([]);
  });

  it('names unlisted routes, routes listed twice and routes registered by another role', () => {
    const problems = routeTableProblems(
      [
        { method: 'GET', url: '/_matrix/client/v3/c', role: 'main' },
        { method: 'GET', url: '/_matrix/client/v3/b/:x', role: 'sync' },
        { method: 'POST', url: '/_matrix/client/v3/a', role: 'sync' },
      ],
      { table },
    );
    expect(problems).toEqual([
      'GET /_matrix/client/v3/c (registered by main) is not in the route table (libs/http/src/route-table.ts)',
      'GET /_matrix/client/v3/b/:x (registered by sync) matches 2 route table entries: b1, b2',
      'POST /_matrix/client/v3/a (registered by sync) belongs to role main in the route table (entry a)',
    ]);
  });
});
