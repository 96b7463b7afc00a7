// Posts one notification to a push gateway and reads its answer. A 2xx is a delivery (its
// `rejected` pushkeys are no longer valid at the gateway); anything else, a network error or a
// timeout, is a failure the caller retries with backoff.

export type GatewayOutcome = { readonly ok: true; readonly rejected: readonly string[] } | { readonly ok: false; readonly reason: string };

export interface GatewayClientOptions {
  /** How long to wait for a gateway's answer. Default: 20000 ms. */
  readonly timeoutMs?: number;
}

export async function postNotification(url: string, body: unknown, options: GatewayClientOptions = {}): Promise<GatewayOutcome> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(options.timeoutMs ?? 20_000),
    });
  } catch (error) {
    return { ok: false, reason: `could not reach ${url}: ${(error as Error).message}` };
  }
  const text = await response.text().catch(() => '');
  if (response.status < 200 || response.status >= 300) return { ok: false, reason: `${url} answered ${response.status}` };
  let rejected: string[] = [];
  try {
    const parsed = JSON.parse(text) as { rejected?: unknown };
    if (Array.isArray(parsed.rejected)) rejected = parsed.rejected.filter((key): key is string => typeof key === 'string');
  } catch {
    // A 2xx without a JSON body still accepted the push.
  }
  return { ok: true, rejected };
}
