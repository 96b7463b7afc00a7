// v2.1 (room v12): the conflicted state subgraph — every event on an auth_events path from one
// conflicted event to another, endpoints included.
import type { AuthChainSource } from './auth-chain.ts';
import type { EventFetcher } from './event-source.ts';
import { effectiveAuthEventIds } from './event-source.ts';

export function conflictedSubgraph(conflicted: ReadonlySet<string>, chains: AuthChainSource, fetchEvent: EventFetcher): Set<string> {
  // Everything a conflicted event reaches, then, within that, everything that reaches a
  // conflicted event (found by walking reversed edges from the conflicted events).
  const reachable = chains.closure(conflicted);
  const children = new Map<string, string[]>();
  for (const id of reachable) {
    const event = fetchEvent(id);
    if (event === undefined) continue;
    for (const authId of effectiveAuthEventIds(event)) {
      if (!reachable.has(authId)) continue;
      let list = children.get(authId);
      if (list === undefined) children.set(authId, (list = []));
      list.push(id);
    }
  }
  const subgraph = new Set<string>();
  const stack: string[] = [];
  for (const id of conflicted) {
    if (reachable.has(id) && !subgraph.has(id)) {
      subgraph.add(id);
      stack.push(id);
    }
  }
  while (stack.length > 0) {
    for (const child of children.get(stack.pop()!) ?? []) {
      if (!subgraph.has(child)) {
        subgraph.add(child);
        stack.push(child);
      }
    }
  }
  return subgraph;
}
