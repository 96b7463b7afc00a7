// The HTTP edge's reading of the room input's typed failures and outcomes, for federation.
import { MatrixError, serviceUnavailable } from '@homeserver/http';
import type { IngestReply, RoomFailure } from '@homeserver/services';

export function failureToError(failure: RoomFailure): MatrixError {
  switch (failure.kind) {
    case 'Forbidden':
      return new MatrixError(403, 'M_FORBIDDEN', failure.reason);
    case 'NotFound':
      return new MatrixError(404, 'M_NOT_FOUND', failure.reason);
    case 'TooLarge':
      return new MatrixError(413, 'M_TOO_LARGE', failure.reason);
    case 'UnsupportedRoomVersion':
      return new MatrixError(400, 'M_UNSUPPORTED_ROOM_VERSION', failure.reason);
    case 'Unavailable':
    case 'Conflict':
      return serviceUnavailable(failure.reason, 1000);
    case 'BadEvent':
      return new MatrixError(400, 'M_BAD_JSON', failure.reason);
  }
}

/** An ingest that did not accept the event (rejected, soft-failed, refused) as a Matrix error. */
export function requireAccepted(reply: IngestReply): Extract<IngestReply, { ok: true }> {
  if (!reply.ok) throw failureToError(reply);
  if (reply.outcome === 'rejected' || reply.outcome === 'soft_failed') {
    throw new MatrixError(403, 'M_FORBIDDEN', `event ${reply.eventId} was ${reply.outcome === 'rejected' ? 'rejected' : 'soft-failed'}: ${reply.reason ?? 'not allowed by the room'}`);
  }
  return reply;
}
