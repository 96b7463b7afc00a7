// Sends one bad request with a deadline and judges the answer: never 5xx, never a hang, the
// expected 4xx status, a Matrix error body (or a user-interactive-auth 401), and a body that
// matches the spec where the operation documents that status.
import { findOperation, validateResponse } from '@homeserver/testing';
import type { BadCase } from './bad-cases.ts';

export interface Answer {
  readonly status: number;
  readonly body: unknown;
  readonly ms: number;
  /** Set when no HTTP answer came (timeout, reset). */
  readonly transportError?: string;
}

export interface SendOptions {
  /** Abort and report a hang after this long. Default: 10 s. */
  readonly timeoutMs?: number;
  /**
   * The Authorization header to send instead of one from the case's token mode (null: none);
   * federation cases carry X-Matrix signatures. Default: from the token mode.
   */
  readonly authorization?: string | null;
}

export async function sendCase(baseUrl: string, validToken: string, badCase: BadCase, options: SendOptions = {}): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (options.authorization !== undefined) {
    if (options.authorization !== null) headers['authorization'] = options.authorization;
  } else if (badCase.token === 'valid') headers['authorization'] = `Bearer ${validToken}`;
  else if (badCase.token === 'invalid') headers['authorization'] = 'Bearer syt_not_a_real_token_0000';
  if (badCase.body !== undefined) headers['content-type'] = 'application/json';
  const started = performance.now();
  try {
    const response = await fetch(baseUrl + badCase.url, {
      method: badCase.method,
      headers,
      body: badCase.body,
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      // Left as text: the checks below report a non-JSON error body.
    }
    return { status: response.status, body, ms: performance.now() - started };
  } catch (error) {
    const err = error as Error & { cause?: Error };
    return { status: 0, body: undefined, ms: performance.now() - started, transportError: `${err.name}: ${err.message}${err.cause ? ` (${err.cause.message})` : ''}` };
  }
}

function isUiaChallenge(status: number, body: unknown): boolean {
  return status === 401 && typeof body === 'object' && body !== null && Array.isArray((body as { flows?: unknown }).flows);
}

/** The problems with one answer; empty when it is acceptable. */
export function checkAnswer(badCase: BadCase, answer: Answer): string[] {
  if (answer.transportError !== undefined) return [`no HTTP answer after ${Math.round(answer.ms)} ms: ${answer.transportError}`];
  const problems: string[] = [];
  const { status, body } = answer;
  if (status >= 500) problems.push(`status ${status} (server error)`);
  else if (badCase.statuses !== undefined && !badCase.statuses.includes(status)) problems.push(`status ${status}, expected ${badCase.statuses.join('/')}`);
  if (status >= 400 && badCase.method !== 'HEAD' && !isUiaChallenge(status, body)) {
    const error = body as { errcode?: unknown; error?: unknown } | undefined;
    if (typeof error !== 'object' || error === null || typeof error.errcode !== 'string' || typeof error.error !== 'string') {
      problems.push('error body is not {errcode, error}');
    } else if (!/^M_[A-Z0-9_]+$/.test(error.errcode)) {
      problems.push(`errcode ${error.errcode} is not an M_ code`);
    } else if (badCase.errcodes !== undefined && status < 500 && !badCase.errcodes.includes(error.errcode)) {
      problems.push(`errcode ${error.errcode}, expected ${badCase.errcodes.join('/')}`);
    }
  }
  if (badCase.method !== 'HEAD' && status < 500) {
    const path = badCase.url.split('?')[0] ?? badCase.url;
    const op = findOperation(badCase.method, path);
    if (op?.statuses.includes(String(status))) {
      try {
        validateResponse(badCase.method, path, status, body);
      } catch (error) {
        const message = (error as Error).message;
        // The spec documents 401 on user-interactive-auth endpoints only as the UIA challenge;
        // a missing or unknown token there is still the standard M_MISSING/UNKNOWN_TOKEN error.
        const tokenErrorOnUia = badCase.token !== 'valid' && message.includes("required property 'flows'");
        if (!tokenErrorOnUia) problems.push(message.split('\nbody:')[0] ?? 'spec violation');
      }
    }
  }
  return problems;
}
