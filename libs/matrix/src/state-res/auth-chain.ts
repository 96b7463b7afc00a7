// Auth chains: the events reachable through auth_events. Walks are iterative (an explicit
// stack), so 50,000-deep chains cannot overflow the call stack, and the chains of events asked
// for are memoised so later walks that reach them stop there.
import type { EventFetcher } from './event-source.ts';
import { effectiveAuthEventIds } from './event-source.ts';

/** The auth-chain accessor state resolution uses; AuthChains is the default. */
export interface AuthChainSource {
  /**
   * The given events plus everything reachable from them through auth events, skipping `stop`
   * (which must be closed under auth events: every auth ancestor of a member is a member).
   */
  closure(eventIds: Iterable<string>, stop?: ReadonlySet<string>): Set<string>;
}

export interface AuthChainsOptions {
  /** Memoised chains kept before the oldest are dropped. Default: 10,000. */
  readonly memoLimit?: number;
}

export class AuthChains implements AuthChainSource {
  readonly #fetchEvent: EventFetcher;
  readonly #memo = new Map<string, ReadonlySet<string>>();
  readonly #memoLimit: number;

  constructor(fetchEvent: EventFetcher, options: AuthChainsOptions = {}) {
    this.#fetchEvent = fetchEvent;
    this.#memoLimit = options.memoLimit ?? 10_000;
  }

  /** The auth chain of one event (its auth events, recursively), not including the event itself. */
  chainOf(eventId: string): ReadonlySet<string> {
    const cached = this.#memo.get(eventId);
    if (cached !== undefined) return cached;
    const chain = this.#walk([eventId], undefined);
    chain.delete(eventId);
    if (this.#memo.size >= this.#memoLimit) {
      const oldest = this.#memo.keys().next();
      if (oldest.done !== true) this.#memo.delete(oldest.value);
    }
    this.#memo.set(eventId, chain);
    return chain;
  }

  closure(eventIds: Iterable<string>, stop?: ReadonlySet<string>): Set<string> {
    return this.#walk(eventIds, stop);
  }

  #walk(start: Iterable<string>, stop: ReadonlySet<string> | undefined): Set<string> {
    const seen = new Set<string>();
    const stack: string[] = [];
    for (const id of start) {
      if (stop?.has(id) !== true && !seen.has(id)) {
        seen.add(id);
        stack.push(id);
      }
    }
    while (stack.length > 0) {
      const id = stack.pop()!;
      const memo = this.#memo.get(id);
      if (memo !== undefined) {
        for (const ancestor of memo) if (stop?.has(ancestor) !== true) seen.add(ancestor);
        continue;
      }
      const event = this.#fetchEvent(id);
      if (event === undefined) continue;
      for (const authId of effectiveAuthEventIds(event)) {
        if (seen.has(authId) || stop?.has(authId) === true) continue;
        seen.add(authId);
        stack.push(authId);
      }
    }
    return seen;
  }
}

/**
 * The auth difference of state sets, given as their event IDs: the events in some but not all
 * of the sets' full auth chains (each chain including the set's own events). The chain shared by
 * the events common to every set is walked once and excluded, since it lies in every chain.
 */
export function authDifference(stateSets: readonly (readonly string[])[], chains: AuthChainSource): Set<string> {
  if (stateSets.length < 2) return new Set();
  const counts = new Map<string, number>();
  for (const set of stateSets) for (const id of new Set(set)) counts.set(id, (counts.get(id) ?? 0) + 1);
  const common: string[] = [];
  for (const [id, n] of counts) if (n === stateSets.length) common.push(id);
  const shared = chains.closure(common);
  const reached = new Map<string, number>();
  for (const set of stateSets) {
    const own = set.filter((id) => counts.get(id) !== stateSets.length);
    for (const id of chains.closure(own, shared)) reached.set(id, (reached.get(id) ?? 0) + 1);
  }
  const difference = new Set<string>();
  for (const [id, n] of reached) if (n < stateSets.length) difference.add(id);
  return difference;
}
