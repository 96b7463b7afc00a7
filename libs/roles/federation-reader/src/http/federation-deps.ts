// What the inbound federation routes need, built once per process by the role module (or by a
// test). The origin of each request is the server its X-Matrix signature proved.
import type { Federation } from '@homeserver/federation';
import type { SigningKey } from '@homeserver/matrix';
import type { Clock, RoomClient } from '@homeserver/services';
import type { Database } from '@homeserver/storage';
import type { Logger } from 'pino';
import type { EduSink } from '../inbound/edus.ts';

export interface FederationRouteDeps {
  readonly db: Database;
  readonly serverName: string;
  readonly signingKey: SigningKey;
  readonly federation: Federation;
  readonly rooms: RoomClient;
  readonly edus: EduSink;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Reported by /version. */
  readonly version: string;
}
