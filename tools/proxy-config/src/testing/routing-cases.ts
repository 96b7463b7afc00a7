// Real request paths and which upstream of workerDeployment() must answer them; shared by the
// plan's unit test and the test that drives real nginx and haproxy.
import type { ProxiedRequest } from '../hash-keys.ts';

export interface RoutingCase {
  readonly method: string;
  readonly request: ProxiedRequest;
  /** Query string to send (the path in `request` has none). Default: none. */
  readonly query?: string;
  readonly upstream: string;
  /** The instances of that upstream. */
  readonly instances: readonly string[];
}

const SYNC = ['sync1', 'sync2'];
const FED = ['fed1', 'fed2'];
const alice = 'Bearer syt_alice_abcdef_123';

export const ROUTING_CASES: readonly RoutingCase[] = [
  { method: 'GET', request: { path: '/_matrix/client/v3/sync', authorization: alice }, upstream: 'sync_by_access_token', instances: SYNC },
  { method: 'GET', request: { path: '/_matrix/client/r0/sync', accessTokenParam: 'mat_x' }, query: 'access_token=mat_x&since=s1', upstream: 'sync_by_access_token', instances: SYNC },
  { method: 'GET', request: { path: '/_matrix/client/v3/events', authorization: alice }, upstream: 'sync_by_access_token', instances: SYNC },
  { method: 'GET', request: { path: '/_matrix/client/v3/initialSync', authorization: alice }, upstream: 'sync_by_access_token', instances: SYNC },
  { method: 'GET', request: { path: '/_matrix/client/v3/rooms/!r:example.org/initialSync', authorization: alice }, upstream: 'sync_by_access_token', instances: SYNC },
  { method: 'GET', request: { path: '/_matrix/client/v3/keys/changes', authorization: alice }, query: 'from=a&to=b', upstream: 'sync', instances: SYNC },
  { method: 'PUT', request: { path: '/_matrix/federation/v1/send/1700000000000', authorization: 'X-Matrix origin="remote.org",destination="example.org",key="ed25519:a",sig="s"' }, upstream: 'federation_reader_by_origin', instances: FED },
  { method: 'GET', request: { path: '/_matrix/federation/v1/make_join/!r:example.org/@bob:remote.org' }, upstream: 'federation_reader', instances: FED },
  { method: 'PUT', request: { path: '/_matrix/federation/v2/send_join/!r:example.org/$e' }, upstream: 'federation_reader', instances: FED },
  { method: 'GET', request: { path: '/_matrix/federation/v1/version' }, upstream: 'federation_reader', instances: FED },
  { method: 'POST', request: { path: '/_matrix/key/v2/query' }, upstream: 'federation_reader', instances: FED },
  { method: 'GET', request: { path: '/_matrix/media/v3/download/example.org/abc' }, upstream: 'media', instances: ['media1'] },
  { method: 'POST', request: { path: '/_matrix/media/v3/upload', authorization: alice }, upstream: 'media', instances: ['media1'] },
  { method: 'GET', request: { path: '/_matrix/client/v1/media/thumbnail/example.org/abc', authorization: alice }, upstream: 'media', instances: ['media1'] },
  { method: 'DELETE', request: { path: '/_synapse/admin/v1/media/example.org/abc', authorization: alice }, upstream: 'media', instances: ['media1'] },
  // The media worker serves no federation listener: federation media falls back to main.
  { method: 'GET', request: { path: '/_matrix/federation/v1/media/download/abc' }, upstream: 'main', instances: ['main'] },
  { method: 'POST', request: { path: '/_matrix/client/v3/createRoom', authorization: alice }, upstream: 'main', instances: ['main'] },
  { method: 'PUT', request: { path: '/_matrix/client/v3/rooms/!r:example.org/send/m.room.message/t1', authorization: alice }, upstream: 'main', instances: ['main'] },
  { method: 'GET', request: { path: '/_matrix/client/versions' }, upstream: 'main', instances: ['main'] },
  { method: 'POST', request: { path: '/_matrix/client/v3/keys/query', authorization: alice }, upstream: 'main', instances: ['main'] },
  { method: 'GET', request: { path: '/.well-known/matrix/client' }, upstream: 'main', instances: ['main'] },
  { method: 'GET', request: { path: '/_synapse/admin/v2/users/@alice:example.org', authorization: alice }, upstream: 'main', instances: ['main'] },
];
