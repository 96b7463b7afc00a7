// Client-Server endpoints are served under several prefixes: v3 (current), r0 (what older
// clients and Synapse still accept) and, for a few very old endpoints, api/v1. One helper keeps
// every role's route registration consistent.

export interface ClientPathsOptions {
  /** Also serve under `/_matrix/client/r0`. Default: true. */
  readonly r0?: boolean;
  /** Also serve under `/_matrix/client/api/v1` (Synapse keeps a few legacy endpoints there). Default: false. */
  readonly v1?: boolean;
  /** The current version segment; `v1` for endpoints introduced under `/_matrix/client/v1`. Default: 'v3'. */
  readonly version?: 'v3' | 'v1';
  /** Also serve under `/_matrix/client/unstable` (endpoints older clients still call there). Default: false. */
  readonly unstable?: boolean;
}

/** The full route paths for a Client-Server endpoint path like `/account/whoami`. */
export function clientPaths(path: string, options: ClientPathsOptions = {}): string[] {
  if (!path.startsWith('/')) {
    throw new TypeError(`building client paths for ${JSON.stringify(path)}: the path must start with "/"`);
  }
  const paths = [`/_matrix/client/${options.version ?? 'v3'}${path}`];
  if (options.r0 ?? true) paths.push(`/_matrix/client/r0${path}`);
  if (options.v1 === true) paths.push(`/_matrix/client/api/v1${path}`);
  if (options.unstable === true) paths.push(`/_matrix/client/unstable${path}`);
  return paths;
}
