// What the admin API routes need from the process: plain values and small ports, so tests
// build them without the runtime.
import type { AccessTokenAuth, Clock, EventFormatter, RoomClient, DeviceListWrites } from '@homeserver/services';
import type { Database } from '@homeserver/storage';
import type { Logger } from 'pino';

export interface AdminDeps {
  readonly db: Database;
  readonly auth: AccessTokenAuth;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Writes into rooms (kicks on deletion, joins, power levels) go through the room actors. */
  readonly rooms: RoomClient;
  readonly formatter: EventFormatter;
  /** The process's device_lists writer (device deletions, logins as a user). */
  readonly deviceLists: DeviceListWrites;
  readonly serverName: string;
  /** Reported by GET /_synapse/admin/v1/server_version (the version this process announces). */
  readonly serverVersion: () => string;
  /** scrypt cost for passwords set by an admin. Default: 32768. */
  readonly passwordHashCost?: number;
}
