// Validation of POST /pushers/set bodies, with Synapse's errors: a body that is not an object is
// M_BAD_JSON, absent required keys are one M_MISSING_PARAM naming them, and a pusher the server
// could not run ("Config Error: ...", e.g. an HTTP pusher without a notify URL) is M_MISSING_PARAM
// as in Synapse. Wrong types and the spec's size limits are M_INVALID_PARAM.
import { badJson, invalidParam, missingParam } from '@homeserver/http';

/** The notify path the push gateway API defines; Synapse refuses any other. */
export const NOTIFY_PATH = '/_matrix/push/v1/notify';

const REQUIRED = ['kind', 'app_id', 'app_display_name', 'device_display_name', 'pushkey', 'lang', 'data'] as const;

export type PusherSetRequest =
  | { readonly action: 'delete'; readonly appId: string; readonly pushkey: string }
  | {
      readonly action: 'set';
      readonly kind: 'http';
      readonly appId: string;
      readonly appDisplayName: string;
      readonly deviceDisplayName: string;
      readonly pushkey: string;
      readonly lang: string;
      readonly data: Record<string, unknown>;
      readonly profileTag: string;
      readonly append: boolean;
    };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(body: Record<string, unknown>, key: string, maxLength?: number): string {
  const value = body[key];
  if (typeof value !== 'string') throw invalidParam(`"${key}" must be a string`);
  if (maxLength !== undefined && Buffer.byteLength(value, 'utf8') > maxLength) throw invalidParam(`"${key}" must be at most ${maxLength} bytes`);
  return value;
}

function configError(message: string) {
  return missingParam(`Config Error: ${message}`);
}

export function parsePusherSet(body: unknown): PusherSetRequest {
  if (!isObject(body)) throw badJson('Content must be a JSON object.');
  if ('pushkey' in body && 'app_id' in body && 'kind' in body && body['kind'] === null) {
    return { action: 'delete', appId: text(body, 'app_id'), pushkey: text(body, 'pushkey') };
  }
  const absent = REQUIRED.filter((key) => !(key in body));
  if (absent.length > 0) throw missingParam(`Missing params: ${JSON.stringify(absent)}`);
  const kind = body['kind'];
  if (typeof kind !== 'string') throw invalidParam('"kind" must be a string, or null to delete the pusher');
  // Email notifications are out of scope for this server (README): refuse them plainly rather
  // than store a pusher that would never send anything.
  if (kind === 'email') throw configError('email pushers are not supported by this homeserver');
  if (kind !== 'http') throw configError(`unknown pusher kind ${JSON.stringify(kind)}; expected "http"`);
  const data = body['data'];
  if (!isObject(data)) throw configError("'data' must be an object for an HTTP pusher");
  const url = data['url'];
  if (url === undefined) throw configError("'url' required in data for HTTP pusher");
  if (typeof url !== 'string') throw configError("'url' must be a string");
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw configError(`'url' ${JSON.stringify(url)} is not a URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw configError("'url' must be an http or https URL");
  if (parsed.pathname !== NOTIFY_PATH) throw configError(`'url' must have a path of '${NOTIFY_PATH}'`);
  if (data['format'] !== undefined && typeof data['format'] !== 'string') throw invalidParam('"data.format" must be a string');
  const append = body['append'] ?? false;
  if (typeof append !== 'boolean') throw invalidParam('"append" must be a boolean');
  const profileTag = body['profile_tag'] ?? '';
  if (typeof profileTag !== 'string') throw invalidParam('"profile_tag" must be a string');
  return {
    action: 'set',
    kind,
    // Sizes from the spec: app_id at most 64 characters, pushkey at most 512 bytes.
    appId: text(body, 'app_id', 64),
    appDisplayName: text(body, 'app_display_name'),
    deviceDisplayName: text(body, 'device_display_name'),
    pushkey: text(body, 'pushkey', 512),
    lang: text(body, 'lang'),
    data,
    profileTag,
    append,
  };
}
