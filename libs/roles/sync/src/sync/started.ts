// Reads a /sync answer starts early and awaits where it uses them, so independent round trips
// overlap instead of queueing one behind the other.

/** `promise`, marked as handled: started early and awaited later, its failure must not be an unhandled rejection meanwhile. */
export function started<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => {});
  return promise;
}
