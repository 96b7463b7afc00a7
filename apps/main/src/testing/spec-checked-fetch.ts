// A `fetch` for matrix-js-sdk's `fetchFn` that checks every JSON response against the Matrix
// v1.19 spec. Violations are collected (not thrown) so the SDK sees the real response and the
// test can assert, at its end, that there were none — listing each one.
import { findOperation, validateResponse } from '@homeserver/testing';

export interface SpecViolation {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly message: string;
}

export class SpecCheckedFetch {
  readonly #violations: SpecViolation[] = [];
  readonly #pending = new Set<Promise<void>>();
  #checked = 0;

  /** The function to hand to `createClient({fetchFn})`. */
  readonly fetch: typeof globalThis.fetch = async (input, init) => {
    const response = await globalThis.fetch(input, init);
    const request = new Request(input, init);
    const check = this.#check(request.method, new URL(request.url).pathname, response.clone());
    this.#pending.add(check);
    void check.finally(() => this.#pending.delete(check));
    return response;
  };

  /** How many JSON responses were validated so far. */
  get checked(): number {
    return this.#checked;
  }

  /** Waits for in-flight checks, then returns and forgets the violations seen so far. */
  async takeViolations(): Promise<readonly SpecViolation[]> {
    await Promise.all([...this.#pending]);
    return this.#violations.splice(0);
  }

  async #check(method: string, path: string, response: Response): Promise<void> {
    if (!(response.headers.get('content-type') ?? '').includes('application/json')) return;
    let body: unknown;
    try {
      body = await response.json();
    } catch (error) {
      // An aborted long-poll (the SDK stopping) has no body to judge.
      if ((error as Error).name === 'AbortError') return;
      this.#violations.push({ method, path, status: response.status, message: `body is not JSON: ${(error as Error).message}` });
      return;
    }
    this.#checked += 1;
    // The SDK probes a few unstable (MSC) endpoints the spec does not describe; the server's
    // refusal must still be a well-formed Matrix error.
    if (path.includes('/unstable/') && findOperation(method, path) === undefined) {
      if (response.status < 400 || !isMatrixError(body)) {
        this.#violations.push({ method, path, status: response.status, message: `unstable endpoint answered with ${JSON.stringify(body).slice(0, 200)}; expected a Matrix error` });
      }
      return;
    }
    try {
      validateResponse(method, path, response.status, body);
    } catch (error) {
      this.#violations.push({ method, path, status: response.status, message: (error as Error).message });
    }
  }
}

function isMatrixError(body: unknown): boolean {
  const b = body as { errcode?: unknown; error?: unknown } | null;
  return typeof b === 'object' && b !== null && typeof b.errcode === 'string' && /^M_[A-Z_]+$/.test(b.errcode) && (b.error === undefined || typeof b.error === 'string');
}

/** One line per violation, for an assertion message. */
export function describeViolations(violations: readonly SpecViolation[]): string {
  return violations.map((v) => `${v.method} ${v.path} ${v.status}: ${v.message}`).join('\n');
}
