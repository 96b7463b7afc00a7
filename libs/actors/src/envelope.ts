// The wire form of remote actor calls: protobuf ActorRequest / ActorReply from
// @homeserver/protocol, with the actor protocol's message as codec bytes inside.
import { ActorReply, ActorRequest } from '@homeserver/protocol';
import type { AskReply, StreamPosition } from './define-actor.ts';
import { ActorError, errorFromFailure } from './errors.ts';

/**
 * The kind of a liveness probe: the server answers it at once, outside any mailbox, so a caller
 * waiting long for a reply can tell a busy instance from a dead or hung one. Not a valid actor
 * kind (those are tokens without `$`), so no actor can be addressed by it.
 */
export const PROBE_KIND = '$probe';

export interface DecodedRequest {
  readonly kind: string;
  readonly key: string;
  readonly method: string;
  readonly payload: Uint8Array;
  readonly traceId: string;
  readonly deadlineMs: number;
  readonly oneWay: boolean;
}

export function encodeRequest(request: DecodedRequest): Uint8Array {
  return ActorRequest.encode(request).finish();
}

export function decodeRequest(bytes: Uint8Array): DecodedRequest {
  const request = ActorRequest.decode(bytes);
  return {
    kind: request.kind,
    key: request.key,
    method: request.method,
    payload: request.payload,
    traceId: request.traceId,
    deadlineMs: Number(request.deadlineMs),
    oneWay: request.oneWay,
  };
}

export function encodeOk(ok: Uint8Array, positions: readonly StreamPosition[], traceId: string): Uint8Array {
  return ActorReply.encode({ ok, positions: positions as StreamPosition[], traceId }).finish();
}

export function encodeFailure(error: unknown, traceId: string): Uint8Array {
  const failure =
    error instanceof ActorError
      ? { code: error.code, message: error.message }
      : { code: 'internal', message: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  return ActorReply.encode({ failure, traceId }).finish();
}

/** Decodes a reply; a failure becomes the matching ActorError subclass, thrown. */
export function decodeReply(bytes: Uint8Array): AskReply<Uint8Array> {
  const decoded = ActorReply.decode(bytes);
  if (decoded.failure) throw errorFromFailure(decoded.failure.code ?? '', decoded.failure.message ?? '');
  const positions = decoded.positions.map((p) => ({ stream: p.stream ?? '', writer: p.writer ?? '', position: Number(p.position) }));
  return { value: decoded.ok ?? new Uint8Array(0), positions };
}
