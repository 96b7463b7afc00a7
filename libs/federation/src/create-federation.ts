// Builds the process's Federation from its config, database and signing key.
// PLACEHOLDER until the federation core lands (this session): no outbound requests, no remote
// keys, every inbound request refused.
import type { HomeserverConfig } from '@homeserver/config';
import { MatrixError } from '@homeserver/http';
import type { SigningKey } from '@homeserver/matrix';
import type { Database } from '@homeserver/storage';
import type { Logger } from 'pino';
import { FederationRequestError, type Federation } from './federation.ts';

export interface FederationDeps {
  readonly config: HomeserverConfig;
  readonly db: Database;
  readonly signingKey: SigningKey;
  readonly logger: Logger;
  readonly now?: () => number;
}

export function createFederation(deps: FederationDeps): Federation {
  const serverName = deps.config.serverName;
  return {
    client: {
      request: (request) => Promise.reject(new FederationRequestError(request.destination, 0, 'federation is not implemented yet')),
    },
    keys: {
      lookupKey: (server, keyId) => (server === serverName && keyId === deps.signingKey.keyId ? { publicKey: deps.signingKey.publicKey } : undefined),
    },
    auth: {
      authenticate: () => Promise.reject(new MatrixError(401, 'M_UNAUTHORIZED', 'federation is not implemented yet')),
    },
    allows: (server) => server !== serverName,
  };
}
