// Splitting state sets into the unconflicted state map and the conflicted state set.
import type { StateKey, StateMap } from '../room-event.ts';

export interface SeparatedState {
  readonly unconflicted: Map<StateKey, string>;
  /** Each conflicted key with the distinct event IDs the sets give it. */
  readonly conflicted: Map<StateKey, Set<string>>;
}

/**
 * v2 and later: a key is unconflicted only when every set has it with the same event; a key
 * missing from some set is conflicted.
 */
export function separateV2(stateSets: readonly StateMap[]): SeparatedState {
  const unconflicted = new Map<StateKey, string>();
  const conflicted = new Map<StateKey, Set<string>>();
  const [first, ...rest] = stateSets;
  if (first === undefined) return { unconflicted, conflicted };
  const keys = new Set<StateKey>(first.keys());
  for (const set of rest) for (const key of set.keys()) keys.add(key);
  for (const key of keys) {
    const value = first.get(key);
    if (value !== undefined && rest.every((set) => set.get(key) === value)) {
      unconflicted.set(key, value);
      continue;
    }
    const ids = new Set<string>();
    for (const set of stateSets) {
      const id = set.get(key);
      if (id !== undefined) ids.add(id);
    }
    conflicted.set(key, ids);
  }
  return { unconflicted, conflicted };
}

/** v1: a key is conflicted only when two sets give it different events; absence is no conflict. */
export function separateV1(stateSets: readonly StateMap[]): SeparatedState {
  const values = new Map<StateKey, Set<string>>();
  for (const set of stateSets) {
    for (const [key, id] of set) {
      let ids = values.get(key);
      if (ids === undefined) values.set(key, (ids = new Set()));
      ids.add(id);
    }
  }
  const unconflicted = new Map<StateKey, string>();
  const conflicted = new Map<StateKey, Set<string>>();
  for (const [key, ids] of values) {
    if (ids.size === 1) unconflicted.set(key, ids.values().next().value!);
    else conflicted.set(key, ids);
  }
  return { unconflicted, conflicted };
}
