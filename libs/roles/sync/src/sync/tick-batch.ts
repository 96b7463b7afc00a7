// Loads asked for during one turn of the event loop go out as one call. The rooms of an initial
// /sync are built concurrently and each asks for its timeline page, state group, room version
// and state events at about the same moment: one statement answers all the rooms (issue 14)
// instead of one per room. A lone caller (a woken long-poll's one room) waits one turn more.

/**
 * A loader of single items that batches: items asked for until the next turn are loaded by one
 * `load` call, which answers by key (an item it does not answer resolves undefined). Items of
 * the same key asked for in one turn share the answer.
 */
export function batchPerTick<Item, Value>(keyOf: (item: Item) => string, load: (items: readonly Item[]) => Promise<ReadonlyMap<string, Value>>): (item: Item) => Promise<Value | undefined> {
  type Waiter = { resolve: (value: Value | undefined) => void; reject: (error: unknown) => void };
  let pending: Map<string, { item: Item; waiters: Waiter[] }> | undefined;
  const flush = (batch: Map<string, { item: Item; waiters: Waiter[] }>) => {
    pending = undefined;
    load([...batch.values()].map((entry) => entry.item)).then(
      (values) => {
        for (const [key, entry] of batch) for (const waiter of entry.waiters) waiter.resolve(values.get(key));
      },
      (error: unknown) => {
        for (const entry of batch.values()) for (const waiter of entry.waiters) waiter.reject(error);
      },
    );
  };
  return (item) =>
    new Promise<Value | undefined>((resolve, reject) => {
      if (!pending) {
        const batch = new Map<string, { item: Item; waiters: Waiter[] }>();
        pending = batch;
        setImmediate(() => flush(batch));
      }
      const key = keyOf(item);
      const entry = pending.get(key) ?? { item, waiters: [] };
      entry.waiters.push({ resolve, reject });
      pending.set(key, entry);
    });
}
