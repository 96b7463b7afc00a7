// Synapse's outbound_federation_restricted_to: only the named instances open connections to other
// servers. They host the `federation-outbound` actor (one per destination, so a destination's
// kept-alive connections stay on one instance); every other process's federation client is a
// proxy that asks that actor over the replication transport. Key fetches go the same way.
import { ActorError, defineActor, replyLater, type ActorDefinition, type ActorSystem, type Later } from '@homeserver/actors';
import type { JsonObject } from '@homeserver/matrix';
import type { HttpFederationClient } from './federation-client.ts';
import { FederationRequestError, type FederationRequest, type FederationTransport } from './federation.ts';

export const FEDERATION_OUTBOUND_KIND = 'federation-outbound';

/** What the proxy asks for: the request, and whether to sign it (key fetches are unsigned GETs). */
interface ProxiedRequest {
  readonly request: FederationRequest;
  readonly sign: boolean;
}

type ProxiedAnswer =
  | { readonly ok: true; readonly body: unknown }
  | { readonly ok: false; readonly status: number; readonly message: string; readonly errcode?: string; readonly body?: unknown };

/** Time the proxy allows beyond the request's own timeout for the hop to the sending instance. */
const HOP_MARGIN_MS = 5_000;
const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;

interface OutboundActor {
  send(message: ProxiedRequest): Later<ProxiedAnswer>;
}

/** The actor the named instances host: sends each request itself and answers with the outcome. */
export function federationOutboundActor(client: HttpFederationClient): ActorDefinition<OutboundActor> {
  const outcome = async ({ request, sign }: ProxiedRequest): Promise<ProxiedAnswer> => {
    try {
      const body = sign ? await client.request(request) : await client.getUnsigned(request.destination, request.path, request.timeoutMs);
      return { ok: true, body };
    } catch (error) {
      if (!(error instanceof FederationRequestError)) throw error;
      // The message without the "destination: " prefix the error adds again on the asking side.
      const message = error.message.startsWith(`${error.destination}: `) ? error.message.slice(error.destination.length + 2) : error.message;
      return { ok: false, status: error.status, message, ...(error.errcode !== undefined ? { errcode: error.errcode } : {}), ...(error.body !== undefined ? { body: error.body } : {}) };
    }
  };
  return defineActor(FEDERATION_OUTBOUND_KIND, {
    // Requests to one destination run side by side: the mailbox only hands them to the client.
    create: () => ({ send: (message: ProxiedRequest) => replyLater(outcome(message)) }),
    passivateAfterMs: 300_000,
  });
}

/** The federation client of a process outside outbound_federation_restricted_to. */
export class ProxiedFederationClient implements FederationTransport {
  readonly #actors: ActorSystem;
  readonly #definition: ActorDefinition<OutboundActor>;

  constructor(actors: ActorSystem, definition: ActorDefinition<OutboundActor>) {
    this.#actors = actors;
    this.#definition = definition;
  }

  request = <T = JsonObject>(request: FederationRequest): Promise<T> => this.#send(request, true) as Promise<T>;

  getUnsigned = <T = JsonObject>(destination: string, path: string, timeoutMs?: number): Promise<T> =>
    this.#send({ destination, method: 'GET', path, ...(timeoutMs !== undefined ? { timeoutMs } : {}) }, false) as Promise<T>;

  async #send(request: FederationRequest, sign: boolean): Promise<unknown> {
    const timeoutMs = (request.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS) + HOP_MARGIN_MS;
    let answer: ProxiedAnswer;
    try {
      ({ value: answer } = await this.#actors.client(this.#definition).ask(request.destination, 'send', { request, sign }, { timeoutMs }));
    } catch (error) {
      if (!(error instanceof ActorError)) throw error;
      throw new FederationRequestError(request.destination, 0, `${request.method} ${request.path} not sent: the outbound federation instances did not answer (${error.message})`);
    }
    if (answer.ok) return answer.body;
    throw new FederationRequestError(request.destination, answer.status, answer.message, answer.errcode, answer.body);
  }
}
