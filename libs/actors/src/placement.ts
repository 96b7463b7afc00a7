// Placement: which instance hosts actor (kind, key). Rendezvous (highest-random-weight)
// hashing: every instance of the kind gets a score for the key, the highest score wins.
// Adding an instance moves only the keys it now wins; removing one moves only its own keys;
// every process holding the same instance list computes the same answer without talking.
//
// Score = murmur3(utf8(key), seed = murmur3(utf8(instance), 0)). Ties (1 in 2^32 per pair)
// go to the lexicographically smaller instance name so the answer stays deterministic.
import { assertToken } from './address.ts';
import { murmur3, utf8 } from './hash.ts';

export interface Placement {
  /** The instance hosting (kind, key); throws UnplacedKindError when no instance hosts the kind. */
  instanceFor(kind: string, key: string): string;
}

/** No instance is configured for an actor kind. */
export class UnplacedKindError extends Error {
  override name = 'UnplacedKindError';
  readonly kind: string;
  constructor(kind: string) {
    super(`cannot place actor kind ${JSON.stringify(kind)}: no instance is configured for it`);
    this.kind = kind;
  }
}

interface Candidate {
  readonly name: string;
  readonly seed: number;
}

export interface RendezvousPlacementOptions {
  /** Instances hosting each kind, e.g. `{ 'room-persister': ['persister1', 'persister2'] }`. */
  readonly instances: Readonly<Record<string, readonly string[]>>;
  /** Instances hosting kinds absent from `instances`. Default: none (such kinds are unplaced). */
  readonly fallback?: readonly string[];
}

export class RendezvousPlacement implements Placement {
  #kinds = new Map<string, readonly Candidate[]>();
  #fallback: readonly Candidate[];

  constructor(options: RendezvousPlacementOptions) {
    for (const [kind, names] of Object.entries(options.instances)) {
      assertToken('actor kind', kind);
      this.#kinds.set(kind, candidates(names));
    }
    this.#fallback = candidates(options.fallback ?? []);
  }

  instanceFor(kind: string, key: string): string {
    const list = this.#kinds.get(kind) ?? this.#fallback;
    if (list.length === 0) throw new UnplacedKindError(kind);
    if (list.length === 1) return list[0]!.name;
    const bytes = utf8(key);
    let best = list[0]!;
    let bestScore = murmur3(bytes, best.seed);
    for (let i = 1; i < list.length; i++) {
      const candidate = list[i]!;
      const score = murmur3(bytes, candidate.seed);
      if (score > bestScore || (score === bestScore && candidate.name < best.name)) {
        best = candidate;
        bestScore = score;
      }
    }
    return best.name;
  }
}

function candidates(names: readonly string[]): readonly Candidate[] {
  const unique = [...new Set(names)];
  for (const name of unique) assertToken('instance name', name);
  return unique.map((name) => ({ name, seed: murmur3(utf8(name), 0) }));
}

/** The monolith: every kind lives on the one local instance. */
export function monolithPlacement(instance: string): Placement {
  return new RendezvousPlacement({ instances: {}, fallback: [instance] });
}
