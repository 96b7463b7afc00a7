// Command-line arguments of the register command, as Synapse's register_new_matrix_user takes
// them: -u/--user, -p/--password, -t/--user_type, -a/--admin, --no-admin, -c/--config,
// -k/--shared-secret, --exists-ok and the server URL.

export interface RegisterArgs {
  readonly user?: string;
  readonly password?: string;
  readonly userType?: string;
  /** undefined: ask (on a terminal) or default to no. */
  readonly admin?: boolean;
  readonly config?: string;
  readonly sharedSecret?: string;
  readonly existsOk: boolean;
  readonly serverUrl?: string;
  readonly help: boolean;
}

export const USAGE = `usage: homeserver-register [-h] [-u USER] [-p PASSWORD] [-t USER_TYPE] [-a | --no-admin]
                           (-c CONFIG | -k SHARED_SECRET) [--exists-ok] [server_url]

Registers a user on a homeserver through its registration_shared_secret
(/_synapse/admin/v1/register), like Synapse's register_new_matrix_user.

  -u, --user USER             local part of the new user (asked for on a terminal)
  -p, --password PASSWORD     the new password (asked for on a terminal)
  -t, --user_type USER_TYPE   bot or support (default: a normal user)
  -a, --admin                 make the user a server admin
      --no-admin              do not make the user a server admin (the default off a terminal)
  -c, --config CONFIG         homeserver.yaml holding registration_shared_secret
  -k, --shared-secret SECRET  the shared secret itself
      --exists-ok             succeed when the user already exists
  server_url                  the homeserver (default: the config's client listener,
                              else https://localhost:8448)`;

export class UsageError extends Error {
  override name = 'UsageError';
}

export function parseRegisterArgs(argv: readonly string[]): RegisterArgs {
  const out: { -readonly [K in keyof RegisterArgs]?: RegisterArgs[K] } = { existsOk: false, help: false };
  const value = (i: number, flag: string): string => {
    const v = argv[i + 1];
    if (v === undefined || v.startsWith('-')) throw new UsageError(`${flag} needs a value`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const take = (): string => {
      if (inline !== undefined) return inline;
      const v = value(i, flag);
      i++;
      return v;
    };
    switch (flag) {
      case '-h':
      case '--help':
        out.help = true;
        break;
      case '-u':
      case '--user':
        out.user = take();
        break;
      case '-p':
      case '--password':
        out.password = take();
        break;
      case '-t':
      case '--user_type':
        out.userType = take();
        break;
      case '-a':
      case '--admin':
        if (out.admin === false) throw new UsageError('-a/--admin and --no-admin contradict each other');
        out.admin = true;
        break;
      case '--no-admin':
        if (out.admin === true) throw new UsageError('-a/--admin and --no-admin contradict each other');
        out.admin = false;
        break;
      case '-c':
      case '--config':
        out.config = take();
        break;
      case '-k':
      case '--shared-secret':
        out.sharedSecret = take();
        break;
      case '--exists-ok':
        out.existsOk = true;
        break;
      default:
        if (flag.startsWith('-')) throw new UsageError(`unknown option ${flag}`);
        if (out.serverUrl !== undefined) throw new UsageError(`only one server URL may be given (got ${out.serverUrl} and ${flag})`);
        out.serverUrl = flag;
    }
  }
  if (!out.help && (out.config === undefined) === (out.sharedSecret === undefined)) throw new UsageError('exactly one of -c/--config and -k/--shared-secret is required');
  return out as RegisterArgs;
}
