// Telling a dead or hung instance from a busy one within a bounded time. A remote ask may
// legitimately wait long (a room's group commit under load), but a caller must not wait out a
// 30 s timeout because the owner was killed or froze. While the ask is pending, the hosting
// instance is probed periodically; its actor server answers probes at once, outside any
// mailbox, so only an instance that is gone (no responders), hung or cut off fails a probe.
import { NoRespondersError, type Transport } from '@homeserver/transport';
import { encodeRequest, PROBE_KIND } from './envelope.ts';

/** Default bound on noticing an unreachable instance (ActorSystemOptions.unreachableAfterMs). */
export const DEFAULT_UNREACHABLE_AFTER_MS = 2000;

/**
 * A probe goes out this long after the call (and after each answered probe) and may take as
 * long: both at 45% of the bound, so the first failure lands within the bound with room for
 * the request's own overhead.
 */
export function probeIntervalMs(unreachableAfterMs: number): number {
  return Math.max(1, Math.floor(unreachableAfterMs * 0.45));
}

const probe = encodeRequest({ kind: PROBE_KIND, key: '', method: 'probe', payload: new Uint8Array(0), traceId: '', deadlineMs: 0, oneWay: false });

export interface WhileAliveOptions {
  readonly transport: Transport;
  /** The instance's request subject. */
  readonly subject: string;
  /** Probe this long after the call (and after each answered probe); each probe may take as long. */
  readonly everyMs: number;
  readonly unreachable: (detail: string) => Error;
}

/** Resolves or rejects with `pending`, unless a probe of its instance fails first. */
export function whileAlive<T>(pending: Promise<T>, options: WhileAliveOptions): Promise<T> {
  let settled = false;
  let timer: NodeJS.Timeout | undefined;
  return new Promise<T>((resolve, reject) => {
    const finish = () => {
      settled = true;
      clearTimeout(timer);
    };
    pending.then(
      (value) => (finish(), resolve(value)),
      (error: unknown) => (finish(), reject(error)),
    );
    const schedule = () => {
      timer = setTimeout(() => {
        options.transport.request(options.subject, probe, { timeoutMs: options.everyMs }).then(
          () => !settled && schedule(),
          (error: unknown) => {
            if (settled) return;
            finish();
            const why = error instanceof NoRespondersError ? 'nobody serves its subject any more' : `it did not answer a liveness probe within ${options.everyMs} ms`;
            reject(options.unreachable(why));
          },
        );
      }, options.everyMs);
      timer.unref();
    };
    schedule();
  });
}
