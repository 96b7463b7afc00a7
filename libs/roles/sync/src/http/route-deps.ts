// What this package's HTTP routes need from the process: storage, the requester of a request
// (the auth hook CS-accounts provides), a clock and the server name.
import type { Clock, Requester } from '@homeserver/services';
import type { Database } from '@homeserver/storage';
import type { FastifyRequest } from 'fastify';

/** Resolves the request's access token to its requester, or throws a MatrixError (401). */
export type Authenticate = (request: FastifyRequest) => Promise<Requester>;

export interface RouteDeps {
  readonly db: Database;
  readonly authenticate: Authenticate;
  readonly clock: Clock;
  readonly serverName: string;
}

/** Client API prefixes an endpoint is served under (v3 and the legacy r0). */
export function clientPaths(path: string): string[] {
  return [`/_matrix/client/v3${path}`, `/_matrix/client/r0${path}`];
}
