// What a role sees of the process hosting it. The runtime builds one per process and hands it
// to every role it hosts; in the monolith all roles share it, in worker mode each process has
// its own over the same PostgreSQL and bus.
import type { ActorSystem, ClusterView, Leases } from '@homeserver/actors';
import type { HomeserverConfig } from '@homeserver/config';
import type { Federation } from '@homeserver/federation';
import type { ProcessMetrics } from '@homeserver/http';
import type { SigningKey } from '@homeserver/matrix';
import type { Database } from '@homeserver/storage';
import type { Transport } from '@homeserver/transport';
import type { Logger } from 'pino';

export interface Clock {
  /** Milliseconds since the epoch. Tests substitute their own. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export interface ServerContext {
  readonly config: HomeserverConfig;
  readonly serverName: string;
  /** This process's instance name (worker_name; 'main' for the monolith). */
  readonly instanceName: string;
  readonly logger: Logger;
  readonly db: Database;
  readonly transport: Transport;
  readonly actors: ActorSystem;
  /** The live cluster: every process heard from recently, with what it hosts and its stream positions. */
  readonly cluster: ClusterView;
  readonly leases: Leases;
  readonly signingKey: SigningKey;
  /** Signed requests to other servers, their keys, and the check of inbound federation requests. */
  readonly federation: Federation;
  readonly metrics: ProcessMetrics;
  readonly clock: Clock;
}
