// The config `main` writes when started without one: a self-contained server in one folder.

export interface DefaultConfigOptions {
  /** Default: 'localhost'. */
  readonly serverName?: string;
  /** Default: 8008. */
  readonly port?: number;
  /** A fresh random secret for /_synapse/admin/v1/register (the caller generates it). */
  readonly registrationSharedSecret: string;
}

export function defaultConfigYaml(options: DefaultConfigOptions): string {
  const serverName = options.serverName ?? 'localhost';
  return `# homeserver.yaml, written on first start. Keys follow Synapse's names.
# Everything the server writes lives beside this file unless a path key says otherwise.
server_name: "${serverName}"

listeners:
  - port: ${options.port ?? 8008}
    type: http
    bind_addresses: ["127.0.0.1"]
    x_forwarded: true
    resources:
      - names: [client, federation]

# No "database" key: the embedded PostgreSQL (PGlite) keeps its data in ./homeserver.db.
# For real PostgreSQL:
# database:
#   name: psycopg2
#   args: {user: synapse, password: secret, database: synapse, host: 127.0.0.1, port: 5432}

# Open registration needs both keys, as in Synapse.
enable_registration: false
enable_registration_without_verification: false
registration_shared_secret: "${options.registrationSharedSecret}"
`;
}
