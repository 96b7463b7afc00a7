// Shares one lookup among callers asking the same while it is in flight. Every shard of a
// sharded consumer in a process receives a stream advance at the same moment, so their `skip`
// checks (one question about the same rows) cost one query instead of one per shard. Nothing
// is kept once the answer arrived: a later question is asked again.

/** `lookup`, with concurrent calls for the same key (`keyOf`) sharing one call. */
export function coalesceInFlight<A, V>(keyOf: (arg: A) => string, lookup: (arg: A) => Promise<V>): (arg: A) => Promise<V> {
  const inFlight = new Map<string, Promise<V>>();
  return (arg) => {
    const key = keyOf(arg);
    let answer = inFlight.get(key);
    if (!answer) {
      answer = lookup(arg).finally(() => inFlight.delete(key));
      inFlight.set(key, answer);
    }
    return answer;
  };
}
