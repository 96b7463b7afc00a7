// PUT /_matrix/federation/v1/send/{txnId}: transactions are handled one at a time per origin in
// this process (the route table sends an origin's transactions to one reader), and remembered
// by (origin, txnId): one sent again gets the first answer and changes nothing.
import { badJson } from '@homeserver/http';
import { encodeCanonicalJson } from '@homeserver/matrix';
import { getInboundTxnResponse, recordInboundTxn } from '@homeserver/storage';
import type { FastifyInstance } from 'fastify';
import { processTransaction } from '../inbound/transaction.ts';
import { federationAuth, originOf } from './federation-auth.ts';
import type { FederationRouteDeps } from './federation-deps.ts';

const MAX_PDUS = 50;
const MAX_EDUS = 100;
/** 50 PDUs of 64 KiB, 100 EDUs and the envelope. */
const BODY_LIMIT = 8 * 1024 * 1024;

/** One transaction at a time per origin. */
class OriginQueues {
  readonly #tails = new Map<string, Promise<unknown>>();

  run<T>(origin: string, work: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(origin) ?? Promise.resolve();
    const next = previous.then(work, work);
    const tail = next.catch(() => {});
    this.#tails.set(origin, tail);
    void tail.then(() => {
      if (this.#tails.get(origin) === tail) this.#tails.delete(origin);
    });
    return next;
  }
}

export function registerSendRoutes(app: FastifyInstance, deps: FederationRouteDeps): void {
  const preValidation = federationAuth(deps);
  const queues = new OriginQueues();
  app.put<{ Params: { txnId: string }; Body: { origin: string; origin_server_ts: number; pdus: unknown[]; edus?: unknown[] } }>(
    '/_matrix/federation/v1/send/:txnId',
    {
      preValidation,
      bodyLimit: BODY_LIMIT,
      schema: {
        body: {
          type: 'object',
          required: ['origin', 'origin_server_ts', 'pdus'],
          properties: { origin: { type: 'string' }, origin_server_ts: { type: 'integer' }, pdus: { type: 'array' }, edus: { type: 'array' } },
        },
      },
    },
    async (request, reply) => {
      const origin = originOf(request);
      const { txnId } = request.params;
      if (txnId.length === 0 || txnId.length > 255) throw badJson(`transaction ID ${JSON.stringify(txnId.slice(0, 40))} must be 1 to 255 characters`);
      const pdus = request.body.pdus;
      const edus = request.body.edus ?? [];
      if (pdus.length > MAX_PDUS || edus.length > MAX_EDUS) throw badJson(`a transaction carries at most ${MAX_PDUS} PDUs and ${MAX_EDUS} EDUs; got ${pdus.length} and ${edus.length}`);
      const answer = await queues.run(origin, async () => {
        const seen = await getInboundTxnResponse(deps.db, origin, txnId);
        if (seen !== undefined) {
          request.log.info({ origin, txnId }, 'transaction received again: answered as the first time, nothing processed');
          return seen;
        }
        const result = await processTransaction({ origin, txnId, pdus, edus }, deps);
        const text = encodeCanonicalJson(result);
        await recordInboundTxn(deps.db, { origin, txnId, responseJson: text, receivedTs: deps.clock.now() });
        return text;
      });
      return reply.type('application/json').send(answer);
    },
  );
}
