// Actor kinds shared by this package's tests (not exported from the package).
import { defineActor, reply, type CallContext } from './define-actor.ts';

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Counts creations per key so tests can see re-creation after a crash or passivation. */
export const created = new Map<string, number>();

export function counterActor(kind = 'counter', options: { mailboxCapacity?: number; passivateAfterMs?: number } = {}) {
  return defineActor(kind, {
    ...options,
    create(key, context) {
      created.set(`${kind}/${key}`, (created.get(`${kind}/${key}`) ?? 0) + 1);
      let value = 0;
      const seen: string[] = [];
      let inFlight = 0;
      let maxInFlight = 0;
      return {
        /** Read-modify-write across an await: interleaving would lose updates. */
        async add(by: number) {
          inFlight++;
          maxInFlight = Math.max(maxInFlight, inFlight);
          const before = value;
          await sleep(Math.random() < 0.5 ? 0 : 1);
          value = before + by;
          inFlight--;
          return value;
        },
        get() {
          return value;
        },
        record(label: string) {
          seen.push(label);
          return seen.length;
        },
        seen() {
          return { seen, maxInFlight };
        },
        crash(message: string): never {
          throw new Error(message);
        },
        write(position: number) {
          value = position;
          return reply({ ok: true as const }, [{ stream: 'events', writer: context.instance, position }]);
        },
        async slow(ms: number) {
          await sleep(ms);
          return 'slow done';
        },
        async wait(gate: Promise<void>) {
          await gate;
          return 'released';
        },
        /** JSON cannot carry a bigint: fine locally, a bad_reply remotely. */
        unencodable() {
          return { big: 1n };
        },
        where() {
          return context.instance;
        },
        /** A reply of `length` characters (bigger than one transport message, as a send_join answer can be). */
        blob(length: number) {
          return 'x'.repeat(length);
        },
        deadline(_message: undefined, call: CallContext) {
          return { deadlineMs: call.deadlineMs, traceId: call.traceId };
        },
        /** A domain failure is a reply value, not a throw. */
        withdraw(amount: number) {
          if (amount > value) return { ok: false as const, reason: 'insufficient_funds' };
          value -= amount;
          return { ok: true as const, balance: value };
        },
      };
    },
  });
}
