// Actor addresses: an actor is named by its kind ("room-persister") and a key within that kind
// (a room id). Placement maps an address to the instance hosting it; callers never name instances.

export interface ActorAddress {
  readonly kind: string;
  readonly key: string;
}

/** An actor kind or instance name is not a plain token. */
export class InvalidActorNameError extends Error {
  override name = 'InvalidActorNameError';
  readonly value: string;
  constructor(what: string, value: string) {
    super(`invalid ${what} ${JSON.stringify(value)}: expected letters, digits, '-' or '_' (1-64 characters)`);
    this.value = value;
  }
}

// Kinds and instance names become transport subject tokens (`actor.<instance>`), so they stay
// within a conservative alphabet. Keys are arbitrary strings (Matrix ids) and travel in payloads.
const TOKEN = /^[A-Za-z0-9_-]{1,64}$/;

export function assertToken(what: 'actor kind' | 'instance name', value: string): void {
  if (!TOKEN.test(value)) throw new InvalidActorNameError(what, value);
}

export function actorAddress(kind: string, key: string): ActorAddress {
  assertToken('actor kind', kind);
  return { kind, key };
}

/** `kind/key`, for logs and metrics labels. */
export function formatAddress(address: ActorAddress): string {
  return `${address.kind}/${address.key}`;
}
