// Remembers the nonces of recently accepted frames, so a frame captured on the bus and sent
// again is refused. Frames older or newer than the skew window are refused by their timestamp,
// so a nonce only has to be remembered while its timestamp could still pass: two generations
// of sets, rotated every 2 × window, keep each nonce for at least that long.

export class ReplayGuard {
  #windowMs: number;
  #clock: () => number;
  #current = new Set<string>();
  #previous = new Set<string>();
  #rotatedAt: number;

  constructor(windowMs: number, clock: () => number) {
    this.#windowMs = windowMs;
    this.#clock = clock;
    this.#rotatedAt = clock();
  }

  /** 'ok' records the nonce; 'stale' and 'replayed' refuse the frame. */
  check(timestampMs: number, nonce: string): 'ok' | 'stale' | 'replayed' {
    const now = this.#clock();
    if (Math.abs(now - timestampMs) > this.#windowMs) return 'stale';
    if (now - this.#rotatedAt >= 2 * this.#windowMs) {
      this.#previous = this.#current;
      this.#current = new Set();
      this.#rotatedAt = now;
    }
    if (this.#current.has(nonce) || this.#previous.has(nonce)) return 'replayed';
    this.#current.add(nonce);
    return 'ok';
  }
}
