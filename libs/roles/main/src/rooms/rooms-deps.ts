// What the rooms endpoints need from the process: the database (reads), the room actors'
// client (every write), how to authenticate a request, the server's identity for building
// create events, and a clock. Tests pass fakes; the main role passes its ServerContext parts.
import type { SigningKey } from '@homeserver/matrix';
import type { Appservices, Clock, Requester, RoomClient } from '@homeserver/services';
import type { Database } from '@homeserver/storage';
import type { FastifyRequest } from 'fastify';
import type { RemoteServers } from './remote/remote-servers.ts';

export interface RoomsDeps {
  readonly db: Database;
  readonly rooms: RoomClient;
  readonly authenticate: (request: FastifyRequest) => Promise<Requester>;
  readonly serverName: string;
  readonly signingKey: SigningKey;
  readonly clock: Clock;
  /**
   * Waits (bounded) until this process's reader of the `events` stream has reached the position a
   * room write replied with, so the client's next read here sees its write. Default: no wait.
   */
  readonly waitForEvents?: (reached: { readonly writer: string; readonly position: number }) => Promise<void>;
  /** rc_message: limits sends, state changes and redactions per user (0: allowed, else ms to wait). Default: unlimited. */
  readonly messageLimiter?: { check(userId: string): number };
  /**
   * Requests to other servers: joins of rooms held elsewhere, invites of their users, backfill,
   * their aliases and public rooms. Default: none (rooms and aliases of other servers are unknown).
   */
  readonly federation?: RemoteServers;
  /**
   * The configured application services: their exclusive alias namespaces, the aliases they are
   * asked about, and rate_limited: false. Default: none.
   */
  readonly appservices?: Appservices;
  /** Room version for new rooms without `room_version`. Default: '12'. */
  readonly defaultRoomVersion?: string;
  /**
   * Account data, for what follows a user into an upgraded room (tags, m.direct). Default:
   * nothing follows.
   */
  readonly accountData?: UserAccountData;
}

/** The account data reads and writes the rooms endpoints use (roomId '' for global data). */
export interface UserAccountData {
  get(userId: string, roomId: string, type: string): Promise<Record<string, unknown> | undefined>;
  set(userId: string, roomId: string, type: string, content: Record<string, unknown>): Promise<void>;
}
