// What the client side of federation shares: the servers to ask about a room (in order, without
// ourselves or servers federation_domain_whitelist leaves out), and the Matrix error a failed
// request to them becomes for the client.
import { MatrixError } from '@homeserver/http';
import { FederationRequestError, type Federation } from '@homeserver/federation';

/** Signed requests to other servers and the domain policy; ctx.federation in a process. */
export type RemoteServers = Pick<Federation, 'client' | 'allows'>;

/** The server part of a user ID, room alias or (pre-v12) room ID; undefined when there is none. */
export function serverOf(id: string): string | undefined {
  const cut = id.indexOf(':');
  return cut < 0 ? undefined : id.slice(cut + 1);
}

/** `servers` deduplicated, in order, keeping only others that federation allows. */
export function candidateServers(remote: RemoteServers, servers: ReadonlyArray<string | undefined>, ourName: string): string[] {
  const out: string[] = [];
  for (const server of servers) {
    if (server === undefined || server === '' || server === ourName || out.includes(server) || !remote.allows(server)) continue;
    out.push(server);
  }
  return out;
}

/**
 * A failed request to another server, as the client sees it: the remote's own refusal (400,
 * 403, 404 with its errcode) passes through; anything else (not reached, 401 between servers,
 * 5xx) is a 502, never a status the client would read as about its own request.
 */
export function remoteFailure(error: unknown, what: string): MatrixError {
  if (!(error instanceof FederationRequestError)) throw error;
  if (error.status === 400 || error.status === 403 || error.status === 404) {
    // The room version an M_INCOMPATIBLE_ROOM_VERSION names is passed on too (Synapse).
    const body = error.body as { room_version?: unknown } | undefined;
    const extra = typeof body?.room_version === 'string' ? { room_version: body.room_version } : {};
    return new MatrixError(error.status, error.errcode ?? 'M_UNKNOWN', `${what}: ${error.destination} answered ${error.status}${error.errcode ? ` ${error.errcode}` : ''}`, { extra });
  }
  return new MatrixError(502, 'M_UNKNOWN', `${what}: ${error.message}`);
}

/** Whether a failed request says the server does not have the endpoint at all (before a v2 existed). */
export function unknownEndpoint(error: unknown): boolean {
  return error instanceof FederationRequestError && (error.status === 404 || (error.status === 400 && error.errcode === 'M_UNRECOGNIZED'));
}

/** Path segment encoding for IDs in federation paths. */
export function seg(id: string): string {
  return encodeURIComponent(id);
}
