// The register command: resolves the secret and the server URL (from -c homeserver.yaml or the
// arguments), asks for what is missing when run on a terminal (the password twice, hidden),
// and registers the user through the shared-secret endpoint.
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { readConfigFile } from '@homeserver/config';
import { RegistrationError, registerWithSharedSecret, type RegisteredUser } from './register-client.ts';
import { UsageError, type RegisterArgs } from './register-args.ts';

export interface Terminal {
  /** True when questions can be asked (stdin is a TTY). */
  readonly interactive: boolean;
  ask(question: string, options?: { hidden?: boolean }): Promise<string>;
  print(line: string): void;
}

/** The secret and the default URL a homeserver.yaml gives. */
async function fromConfig(path: string): Promise<{ secret: string; url: string | undefined }> {
  const file = await readConfigFile(path);
  let secret = file['registration_shared_secret'];
  const secretPath = file['registration_shared_secret_path'];
  if (typeof secret !== 'string' && typeof secretPath === 'string') {
    secret = (await readFile(resolve(dirname(resolve(path)), secretPath), 'utf8')).trim();
  }
  if (typeof secret !== 'string' || secret === '') throw new UsageError(`${path} has no registration_shared_secret (or registration_shared_secret_path): shared-secret registration is off`);
  return { secret, url: clientListenerUrl(file['listeners']) };
}

/** http://host:port of the first plain-HTTP listener serving the client API, as Synapse's tool picks it. */
function clientListenerUrl(listeners: unknown): string | undefined {
  if (!Array.isArray(listeners)) return undefined;
  for (const listener of listeners as Array<Record<string, unknown>>) {
    const resources = (listener['resources'] as Array<{ names?: string[] }> | undefined) ?? [];
    if (listener['type'] !== 'http' || listener['tls'] === true || !resources.some((r) => r.names?.includes('client'))) continue;
    const binds = (listener['bind_addresses'] as string[] | undefined) ?? [];
    const host = binds.find((b) => b !== '0.0.0.0' && b !== '::') ?? 'localhost';
    return `http://${host.includes(':') ? `[${host}]` : host}:${String(listener['port'])}`;
  }
  return undefined;
}

export async function runRegister(args: RegisterArgs, terminal: Terminal): Promise<RegisteredUser | undefined> {
  const { secret, url } = args.config !== undefined ? await fromConfig(args.config) : { secret: args.sharedSecret!, url: undefined };
  const serverUrl = args.serverUrl ?? url ?? 'https://localhost:8448';
  const need = (what: string): never => {
    throw new UsageError(`${what} is required when not run on a terminal`);
  };
  let user = args.user;
  if (user === undefined) {
    if (!terminal.interactive) need('-u/--user');
    const fallback = process.env['USER'];
    const answer = (await terminal.ask(`New user localpart${fallback ? ` [${fallback}]` : ''}: `)).trim();
    user = answer === '' ? fallback : answer;
    if (!user) throw new UsageError('a user localpart is required');
  }
  let password = args.password;
  if (password === undefined) {
    if (!terminal.interactive) need('-p/--password');
    password = await terminal.ask('Password: ', { hidden: true });
    if (password === '') throw new UsageError('the password must not be empty');
    if ((await terminal.ask('Confirm password: ', { hidden: true })) !== password) throw new UsageError('the passwords do not match');
  }
  let admin = args.admin;
  if (admin === undefined) {
    admin = false;
    if (terminal.interactive) {
      const answer = (await terminal.ask('Make admin [no]: ')).trim().toLowerCase();
      admin = answer === 'y' || answer === 'yes' || answer === 'true';
    }
  }
  terminal.print('Sending registration request...');
  try {
    const registered = await registerWithSharedSecret(serverUrl, secret, { username: user, password, admin, ...(args.userType === undefined ? {} : { userType: args.userType }) });
    terminal.print(`Success! Registered ${registered.user_id}${admin ? ' as a server admin' : ''}.`);
    return registered;
  } catch (error) {
    if (args.existsOk && error instanceof RegistrationError && error.errcode === 'M_USER_IN_USE') {
      terminal.print(`User ${user} already exists; nothing to do (--exists-ok).`);
      return undefined;
    }
    throw error;
  }
}
