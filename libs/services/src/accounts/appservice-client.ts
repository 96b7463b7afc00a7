// Requests from the homeserver to an application service (the spec's application service API):
// authenticated with the appservice's hs_token in the Authorization header (the deprecated
// access_token query parameter is not sent). Answers are plain values; the caller decides what a
// failure means (retry a transaction, treat a query as "not found").
import type { AppserviceRegistration } from '@homeserver/config';

export interface AppserviceCallOptions {
  /** Query parameters (values repeated for lists). Default: none. */
  readonly query?: Readonly<Record<string, string | readonly string[]>>;
  readonly body?: unknown;
  /** Default: 10000 ms (Synapse waits as long for a query). */
  readonly timeoutMs?: number;
}

export type AppserviceAnswer =
  | { readonly ok: true; readonly status: number; readonly body: unknown }
  | { readonly ok: false; readonly status: number | undefined; readonly body: unknown; readonly reason: string };

/** Calls `path` (below /_matrix/app/v1) on the appservice; never throws. */
export async function callAppservice(appservice: AppserviceRegistration, method: 'GET' | 'PUT' | 'POST', path: string, options: AppserviceCallOptions = {}): Promise<AppserviceAnswer> {
  if (appservice.url === undefined) return { ok: false, status: undefined, body: undefined, reason: `appservice ${appservice.id} has no url` };
  const url = new URL(`${appservice.url}/_matrix/app/v1${path}`);
  for (const [key, value] of Object.entries(options.query ?? {})) for (const one of [value].flat()) url.searchParams.append(key, one);
  try {
    const response = await fetch(url, {
      method,
      headers: { authorization: `Bearer ${appservice.hsToken}`, ...(options.body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
    });
    const text = await response.text();
    let body: unknown;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      body = undefined;
    }
    if (response.ok) return { ok: true, status: response.status, body };
    return { ok: false, status: response.status, body, reason: `answered ${response.status}` };
  } catch (error) {
    return { ok: false, status: undefined, body: undefined, reason: (error as Error).message };
  }
}
