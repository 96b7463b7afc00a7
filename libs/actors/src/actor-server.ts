// Serves remote calls to one instance: decodes each ActorRequest arriving on `actor.<instance>`,
// refuses what is expired or placed elsewhere, posts the rest into the local mailbox in arrival
// order, and answers with an ActorReply (failures are encoded, never thrown, so the caller gets
// the named error rather than a transport failure).
import type { Subscription, Transport } from '@homeserver/transport';
import type { ActorLogger } from './actor-logger.ts';
import type { ActorAddress } from './address.ts';
import type { MessageCodec } from './codec.ts';
import type { AskReply, CallContext } from './define-actor.ts';
import { decodeRequest, encodeFailure, encodeOk, PROBE_KIND, type DecodedRequest } from './envelope.ts';
import { ActorError, AskTimeoutError, NotHostedError } from './errors.ts';
import type { Placement } from './placement.ts';

export interface ActorServerOptions {
  readonly instance: string;
  readonly placement: Placement;
  readonly logger: ActorLogger;
  /** Posts a call into the local actor's mailbox. */
  readonly local: (address: ActorAddress, method: string, message: unknown, call: CallContext) => Promise<AskReply<unknown>>;
  /** Codec of a hosted kind; undefined when the kind is not hosted here. */
  readonly codecOf: (kind: string) => MessageCodec | undefined;
}

const ACCEPTED = new Uint8Array(0);

export class ActorServer {
  #options: ActorServerOptions;
  #subscription: Subscription | undefined;

  constructor(options: ActorServerOptions) {
    this.#options = options;
  }

  async serve(transport: Transport, subject: string): Promise<void> {
    this.#subscription = await transport.serve(subject, (bytes) => this.#answer(bytes));
  }

  async close(): Promise<void> {
    await this.#subscription?.unsubscribe();
    this.#subscription = undefined;
  }

  // Deliberately not async up to the post: the adapters call handlers in arrival order, and the
  // synchronous post keeps that order in the mailbox (per-key FIFO across the wire).
  #answer(bytes: Uint8Array): Uint8Array | Promise<Uint8Array> {
    let request: DecodedRequest;
    try {
      request = decodeRequest(bytes);
    } catch (error) {
      return encodeFailure(new ActorError('bad_request', `cannot decode ActorRequest: ${(error as Error).message}`), '');
    }
    const { kind, key, method, traceId, deadlineMs } = request;
    if (kind === PROBE_KIND) return encodeOk(ACCEPTED, [], traceId);
    let pending: Promise<AskReply<unknown>>;
    let codec: MessageCodec | undefined;
    try {
      // Deadlines are absolute wall-clock times, so this assumes clocks in sync (NTP) to well
      // under typical timeouts; a skewed host expires work early or late, never runs it twice.
      if (deadlineMs !== 0 && Date.now() >= deadlineMs) {
        throw new AskTimeoutError(kind, key, method, 'arrived after its deadline; it was not executed');
      }
      const owner = this.#options.placement.instanceFor(kind, key);
      if (owner !== this.#options.instance) {
        throw new NotHostedError(kind, key, this.#options.instance, `placement here says instance ${JSON.stringify(owner)} hosts it`);
      }
      codec = this.#options.codecOf(kind);
      if (!codec) throw new NotHostedError(kind, key, this.#options.instance, 'the kind is not hosted here');
      const message = codec.decode(request.payload);
      pending = this.#options.local({ kind, key }, method, message, { method, deadlineMs, traceId });
    } catch (error) {
      return encodeFailure(error, traceId);
    }
    if (request.oneWay) {
      pending.catch((error: unknown) => this.#options.logger.warn({ err: error, actor: `${kind}/${key}`, method, traceId }, 'told message failed'));
      return encodeOk(ACCEPTED, [], traceId);
    }
    const replyCodec = codec;
    return pending.then(
      (reply) => {
        try {
          return encodeOk(replyCodec.encode(reply.value), reply.positions, traceId);
        } catch (error) {
          // The actor ran; only its reply could not travel. Say so rather than fail the transport.
          return encodeFailure(new ActorError('bad_reply', `actor ${kind}/${JSON.stringify(key)} replied to ${JSON.stringify(method)} with a value the codec cannot encode: ${(error as Error).message}`), traceId);
        }
      },
      (error: unknown) => encodeFailure(error, traceId),
    );
  }
}
