// Spawns a throwaway nats-server on a free loopback port, for tests that must stop and restart
// the server (never touch the shared system service for that), optionally requiring clients to
// authenticate (user/password, token, an nkey, or operator-signed JWTs as in a creds file).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from './free-port.ts';
import { requireBinary, SpawnedServer, tempDirUntilExit, type TestServer } from './spawned-server.ts';

/** How clients must authenticate; the server refuses every other connection. */
export type NatsServerAuth =
  | { readonly user: string; readonly password: string }
  | { readonly token: string }
  /** A user nkey's public key (`U...`); clients sign the server's nonce with its seed. */
  | { readonly nkey: string }
  /**
   * Operator mode (decentralised JWT auth): the operator's JWT, the system account's public key
   * and every account JWT, preloaded into a memory resolver. Clients present a user JWT signed by
   * one of the accounts (a creds file).
   */
  | { readonly operatorJwt: string; readonly systemAccount: string; readonly accountJwts: Readonly<Record<string, string>> };

export interface StartNatsServerOptions {
  /** Enable JetStream with a temporary store directory. Default: false. */
  readonly jetstream?: boolean;
  /** Port to listen on. Default: a free port. */
  readonly port?: number;
  /** Server binary. Default: /usr/sbin/nats-server (Debian package nats-server). */
  readonly binary?: string;
  /** Require this authentication. Default: none (anyone may connect). */
  readonly auth?: NatsServerAuth;
  /** Serve nats-server's HTTP monitoring (/connz lists each connection's subscriptions) on this port. Default: off. */
  readonly monitorPort?: number;
}

export async function startNatsServer(options: StartNatsServerOptions = {}): Promise<TestServer> {
  const binary = options.binary ?? '/usr/sbin/nats-server';
  requireBinary(binary, 'nats-server');
  const port = options.port ?? (await freePort());
  const args = ['-a', '127.0.0.1', '-p', String(port)];
  if (options.jetstream) {
    // The store directory outlives restarts, so JetStream data survives them as in production.
    args.push('-js', '-sd', tempDirUntilExit('hs-nats-'));
  }
  if (options.auth) args.push('-c', writeAuthConfig(options.auth));
  if (options.monitorPort !== undefined) args.push('-m', String(options.monitorPort));
  const server = new SpawnedServer({ binary, args, port });
  await server.start();
  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    stop: () => server.stop(),
    restart: () => server.restart(),
  };
}

function writeAuthConfig(auth: NatsServerAuth): string {
  const path = join(tempDirUntilExit('hs-nats-auth-'), 'auth.conf');
  writeFileSync(path, `${authBlock(auth)}\n`);
  return path;
}

function authBlock(auth: NatsServerAuth): string {
  if ('operatorJwt' in auth) {
    const preload = Object.entries(auth.accountJwts).map(([account, jwt]) => `  ${account}: ${JSON.stringify(jwt)}`);
    return [`operator: ${JSON.stringify(auth.operatorJwt)}`, `system_account: ${auth.systemAccount}`, 'resolver: MEMORY', 'resolver_preload: {', ...preload, '}'].join('\n');
  }
  if ('token' in auth) return `authorization { token: ${JSON.stringify(auth.token)} }`;
  const user = 'user' in auth ? `{user: ${JSON.stringify(auth.user)}, password: ${JSON.stringify(auth.password)}}` : `{nkey: ${JSON.stringify(auth.nkey)}}`;
  return `authorization { users: [${user}] }`;
}
