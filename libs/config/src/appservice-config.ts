// Application service registrations (Synapse's `app_service_config_files`): each listed YAML file
// describes one appservice in the format of the spec's registration section. Files are read and
// checked when the config loads, so a bad registration stops the start with the file and key
// named rather than failing the first request that needs it.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isAbsolute, resolve } from 'node:path';
import { ConfigError } from './config-error.ts';

const requireHere = createRequire(import.meta.url);

/** One namespace entry: whether it is exclusive and the regex it matches from the start. */
export interface AppserviceNamespace {
  readonly exclusive: boolean;
  /** The regex as written in the file. */
  readonly regex: string;
  /** Anchored at the start only, as Synapse matches (`re.match`): `@irc_.*` matches `@irc_bob:x`. */
  readonly pattern: RegExp;
}

export interface AppserviceRegistration {
  /** The file this registration came from (for messages). */
  readonly file: string;
  readonly id: string;
  /** Where the homeserver sends transactions and queries; undefined (url: null) sends nothing. */
  readonly url: string | undefined;
  readonly asToken: string;
  readonly hsToken: string;
  readonly senderLocalpart: string;
  /** The full user ID of the sender (`@sender_localpart:server_name`). */
  readonly sender: string;
  readonly namespaces: {
    readonly users: readonly AppserviceNamespace[];
    readonly aliases: readonly AppserviceNamespace[];
    readonly rooms: readonly AppserviceNamespace[];
  };
  /** Default: true (Synapse's). false exempts the appservice's users from rate limits. */
  readonly rateLimited: boolean;
  /** Third-party protocols the appservice bridges. Default: none. */
  readonly protocols: readonly string[];
  /** Also send typing, receipts and presence (`receive_ephemeral` or MSC2409's key). Default: false. */
  readonly receiveEphemeral: boolean;
}

const NAMESPACE_KINDS = ['users', 'aliases', 'rooms'] as const;

function fail(file: string, key: string, problem: string): never {
  throw new ConfigError(`app_service_config_files: ${file}: key "${key}" ${problem}`);
}

function requiredString(file: string, info: Record<string, unknown>, key: string): string {
  const value = info[key];
  if (value === undefined) fail(file, key, 'is missing');
  if (typeof value !== 'string' || value === '') fail(file, key, `has value ${JSON.stringify(value)}: expected a non-empty string`);
  return value;
}

function namespacesOf(file: string, raw: unknown): AppserviceRegistration['namespaces'] {
  if (raw === undefined || raw === null) return { users: [], aliases: [], rooms: [] };
  if (typeof raw !== 'object' || Array.isArray(raw)) fail(file, 'namespaces', 'must be a mapping of users/aliases/rooms to lists');
  const out: Record<string, AppserviceNamespace[]> = {};
  for (const kind of NAMESPACE_KINDS) {
    const list = (raw as Record<string, unknown>)[kind];
    out[kind] = [];
    if (list === undefined || list === null) continue;
    if (!Array.isArray(list)) fail(file, `namespaces.${kind}`, 'must be a list of {exclusive, regex}');
    list.forEach((entry: unknown, i) => {
      const key = `namespaces.${kind}[${i}]`;
      if (typeof entry !== 'object' || entry === null) fail(file, key, 'must be a mapping with "exclusive" and "regex"');
      const { regex, exclusive } = entry as Record<string, unknown>;
      if (typeof regex !== 'string') fail(file, `${key}.regex`, `has value ${JSON.stringify(regex)}: expected a string`);
      if (exclusive !== undefined && typeof exclusive !== 'boolean') fail(file, `${key}.exclusive`, `has value ${JSON.stringify(exclusive)}: expected true or false`);
      let pattern: RegExp;
      try {
        pattern = new RegExp(`^(?:${regex})`);
      } catch (error) {
        fail(file, `${key}.regex`, `has value ${JSON.stringify(regex)}: not a valid regular expression (${(error as Error).message})`);
      }
      out[kind]!.push({ exclusive: exclusive === true, regex, pattern });
    });
  }
  return out as unknown as AppserviceRegistration['namespaces'];
}

/** Parses one registration (already read from YAML). */
export function parseAppserviceRegistration(file: string, raw: unknown, serverName: string): AppserviceRegistration {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ConfigError(`app_service_config_files: ${file} must hold a mapping of registration keys`);
  const info = raw as Record<string, unknown>;
  const id = requiredString(file, info, 'id');
  const asToken = requiredString(file, info, 'as_token');
  const hsToken = requiredString(file, info, 'hs_token');
  const senderLocalpart = requiredString(file, info, 'sender_localpart');
  if (!/^[a-z0-9._=\-/+]+$/.test(senderLocalpart)) fail(file, 'sender_localpart', `has value ${JSON.stringify(senderLocalpart)}: expected a user ID localpart (a-z, 0-9, . _ = - / +)`);
  // Synapse: url must be present, and may be null for an appservice that only uses the client API.
  if (!('url' in info)) fail(file, 'url', 'is missing (use url: null for an appservice that receives nothing)');
  const url = info['url'];
  if (url !== null && (typeof url !== 'string' || !/^https?:\/\/[^/]/.test(url))) fail(file, 'url', `has value ${JSON.stringify(url)}: expected an http(s) URL or null`);
  const rateLimited = info['rate_limited'] ?? true;
  if (typeof rateLimited !== 'boolean') fail(file, 'rate_limited', `has value ${JSON.stringify(rateLimited)}: expected true or false`);
  const protocols = info['protocols'] ?? [];
  if (!Array.isArray(protocols) || protocols.some((p) => typeof p !== 'string')) fail(file, 'protocols', `has value ${JSON.stringify(protocols)}: expected a list of strings`);
  const ephemeral = info['receive_ephemeral'] ?? info['de.sorunome.msc2409.push_ephemeral'] ?? false;
  if (typeof ephemeral !== 'boolean') fail(file, 'receive_ephemeral', `has value ${JSON.stringify(ephemeral)}: expected true or false`);
  return {
    file,
    id,
    url: url === null ? undefined : (url as string).replace(/\/+$/, ''),
    asToken,
    hsToken,
    senderLocalpart,
    sender: `@${senderLocalpart}:${serverName}`,
    namespaces: namespacesOf(file, info['namespaces']),
    rateLimited,
    protocols: protocols as string[],
    receiveEphemeral: ephemeral,
  };
}

/** Reads and checks every listed file; ids and as_tokens must be unique across them. */
export function loadAppserviceRegistrations(files: unknown, options: { configDir: string; serverName: string }): AppserviceRegistration[] {
  if (files === undefined || files === null) return [];
  if (!Array.isArray(files) || files.some((f) => typeof f !== 'string' || f === '')) {
    throw new ConfigError(`key "app_service_config_files" has value ${JSON.stringify(files)}: expected a list of registration file paths`);
  }
  const registrations: AppserviceRegistration[] = [];
  for (const path of files as string[]) {
    const file = isAbsolute(path) ? path : resolve(options.configDir, path);
    let parsed: unknown;
    try {
      // Required here: a process without registration files never loads the YAML parser.
      const { parse } = requireHere('yaml') as typeof import('yaml');
      parsed = parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new ConfigError(`key "app_service_config_files" lists ${file}, which cannot be read as YAML: ${(error as Error).message}`);
    }
    const registration = parseAppserviceRegistration(file, parsed, options.serverName);
    const sameId = registrations.find((r) => r.id === registration.id);
    if (sameId) fail(file, 'id', `has value ${JSON.stringify(registration.id)}, already used by ${sameId.file}: appservice ids must be unique`);
    const sameToken = registrations.find((r) => r.asToken === registration.asToken);
    if (sameToken) fail(file, 'as_token', `is the same as in ${sameToken.file}: each appservice needs its own as_token`);
    registrations.push(registration);
  }
  return registrations;
}
