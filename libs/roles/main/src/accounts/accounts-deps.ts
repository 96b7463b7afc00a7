// What the accounts, profile and account-data routes need from the process. Plain values and
// small ports, so tests build them without the runtime.
import type { RateLimitConfig } from '@homeserver/config';
import type { AccessTokenAuth, Appservices, Clock, ProfileChange, DeviceListWrites } from '@homeserver/services';
import type { Database } from '@homeserver/storage';
import type { Logger } from 'pino';
import type { AccountDataService } from '../account-data/account-data-service.ts';
import type { RemoteServers } from '../rooms/remote/remote-servers.ts';

/** The room-side effects of account changes; CS-rooms' RoomClient satisfies it. */
export interface AccountRoomHooks {
  /** Sends new member events with the new profile into every joined room. */
  onProfileChanged(userId: string, change: ProfileChange): Promise<unknown>;
  /** Leaves every room of a deactivated user. */
  leaveAllRooms(userId: string): Promise<unknown>;
}

export interface AccountsSettings {
  readonly serverName: string;
  /** Default: false (403 M_FORBIDDEN on /register). */
  readonly enableRegistration?: boolean;
  readonly registrationSharedSecret?: string | undefined;
  /** Open registration also needs a registration token (m.login.registration_token). Default: false. */
  readonly registrationRequiresToken?: boolean;
  /** Synapse's allow_guest_access: /register?kind=guest issues guest accounts. Default: false (403 M_GUEST_ACCESS_FORBIDDEN). */
  readonly allowGuestAccess?: boolean;
  /** Advertised as the default in /capabilities (Synapse's default_room_version). Default: the server's own. */
  readonly defaultRoomVersion?: string | undefined;
  /** For /.well-known/matrix/client; default: none (404). */
  readonly publicBaseUrl?: string | undefined;
  /** scrypt cost. Default: 32768. */
  readonly passwordHashCost?: number;
  /** Access token lifetime when the client asks for refresh tokens. Default: 5 minutes. */
  readonly accessTokenLifetimeMs?: number;
  readonly rateLimits?: {
    readonly registration?: RateLimitConfig;
    readonly loginAddress?: RateLimitConfig;
    readonly loginAccount?: RateLimitConfig;
    readonly loginFailedAttempts?: RateLimitConfig;
  };
}

export interface AccountsDeps {
  readonly db: Database;
  readonly settings: AccountsSettings;
  readonly auth: AccessTokenAuth;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly accountData: AccountDataService;
  /** The process's device_lists writer: devices created, deleted and renamed are device-list changes. */
  readonly deviceLists: DeviceListWrites;
  /** The configured application services (their registrations, logins and exclusive user namespaces). Default: none. */
  readonly appservices?: Appservices;
  /** Room effects; undefined until the room actor is wired (profile changes then stay local). */
  readonly rooms?: AccountRoomHooks;
  /** Profiles of other servers' users are asked of them. Default: none (they are not found). */
  readonly federation?: RemoteServers;
}
