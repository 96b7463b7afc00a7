// The configured application services (app_service_config_files) and the questions every role
// asks of them: whose token is this, which appservice claims this user, alias or room, and may
// anyone else take it (exclusive namespaces). Matching follows Synapse: a namespace regex matches
// from the start of the ID (libs/config compiles it so).
import type { AppserviceNamespace, AppserviceRegistration } from '@homeserver/config';

export type NamespaceKind = 'users' | 'aliases' | 'rooms';

const matches = (namespaces: readonly AppserviceNamespace[], value: string, exclusiveOnly = false): boolean =>
  namespaces.some((ns) => (!exclusiveOnly || ns.exclusive) && ns.pattern.test(value));

export class Appservices {
  readonly #all: readonly AppserviceRegistration[];
  readonly #byToken: ReadonlyMap<string, AppserviceRegistration>;
  readonly #byId: ReadonlyMap<string, AppserviceRegistration>;

  constructor(registrations: readonly AppserviceRegistration[]) {
    this.#all = registrations;
    this.#byToken = new Map(registrations.map((r) => [r.asToken, r]));
    this.#byId = new Map(registrations.map((r) => [r.id, r]));
  }

  get all(): readonly AppserviceRegistration[] {
    return this.#all;
  }

  byToken(asToken: string): AppserviceRegistration | undefined {
    return this.#byToken.get(asToken);
  }

  byId(id: string): AppserviceRegistration | undefined {
    return this.#byId.get(id);
  }

  /** The appservice whose as_token this is may act as `userId`: its sender or a user of its namespace. */
  static mayActAs(appservice: AppserviceRegistration, userId: string): boolean {
    return userId === appservice.sender || matches(appservice.namespaces.users, userId);
  }

  /** Whether `value` falls in one of the appservice's namespaces of `kind`. */
  static claims(appservice: AppserviceRegistration, kind: NamespaceKind, value: string): boolean {
    return matches(appservice.namespaces[kind], value);
  }

  /** The appservices (other than `except`) holding `value` in an exclusive namespace of `kind`. */
  exclusiveOwners(kind: NamespaceKind, value: string, except?: AppserviceRegistration): AppserviceRegistration[] {
    return this.#all.filter((r) => r !== except && matches(r.namespaces[kind], value, true));
  }

  /** The appservices with a URL whose namespace of `kind` holds `value` (who to ask about it). */
  queryTargets(kind: NamespaceKind, value: string): AppserviceRegistration[] {
    return this.#all.filter((r) => r.url !== undefined && matches(r.namespaces[kind], value));
  }

  /** Whether a user's requests are exempt from rate limits (an appservice user with rate_limited: false). */
  isRateLimitExempt(userId: string): boolean {
    return this.#all.some((r) => !r.rateLimited && Appservices.mayActAs(r, userId));
  }
}

export const noAppservices = new Appservices([]);
