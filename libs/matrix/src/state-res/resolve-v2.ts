// State resolution v2 (rooms v2–v11) and v2.1 (v12): resolve power events by reverse
// topological power ordering, the rest by mainline ordering, each through iterative auth
// checks, then restore the unconflicted state.
import type { StateKey, StateMap } from '../room-event.ts';
import { stateKeyOf } from '../room-event.ts';
import type { AuthChainSource } from './auth-chain.ts';
import { authDifference } from './auth-chain.ts';
import { separateV2 } from './conflicts.ts';
import { conflictedSubgraph } from './conflicted-subgraph.ts';
import type { IterativeAuthOptions } from './iterative-auth.ts';
import { iterativeAuthChecks } from './iterative-auth.ts';
import { mainlineSort } from './mainline.ts';
import { isPowerEvent, reverseTopologicalPowerSort } from './power-sort.ts';

export interface ResolveV2Options extends IterativeAuthOptions {
  readonly chains: AuthChainSource;
  /** v2.1: start the iterative auth checks from empty state and add the conflicted subgraph. */
  readonly v21: boolean;
}

export function resolveV2(stateSets: readonly StateMap[], options: ResolveV2Options): Map<StateKey, string> {
  const { fetchEvent } = options;
  const { unconflicted, conflicted } = separateV2(stateSets);
  if (conflicted.size === 0) return unconflicted;

  const conflictedIds = new Set<string>();
  for (const ids of conflicted.values()) for (const id of ids) conflictedIds.add(id);
  const full = authDifference(stateSets.map((s) => [...s.values()]), options.chains);
  for (const id of conflictedIds) full.add(id);
  if (options.v21) for (const id of conflictedSubgraph(conflictedIds, options.chains, fetchEvent)) full.add(id);
  // Events nobody can fetch cannot be ordered or checked; like other servers, leave them out.
  for (const id of full) if (fetchEvent(id) === undefined) full.delete(id);

  const powerEvents = [...full].filter((id) => isPowerEvent(fetchEvent(id)!));
  const sortedPower = reverseTopologicalPowerSort(powerEvents, full, fetchEvent);
  const state = iterativeAuthChecks(sortedPower, options.v21 ? new Map() : new Map(unconflicted), options);

  const picked = new Set(sortedPower);
  const others = [...full].filter((id) => !picked.has(id));
  const sortedOthers = mainlineSort(others, state.get(stateKeyOf('m.room.power_levels', '')), fetchEvent);
  iterativeAuthChecks(sortedOthers, state, options);

  for (const [key, id] of unconflicted) state.set(key, id);
  return state;
}
