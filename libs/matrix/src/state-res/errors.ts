// Errors raised by state resolution when its inputs are incomplete.

/** A state set or auth event needed by state resolution could not be fetched. */
export class MissingEventError extends Error {
  override readonly name = 'MissingEventError';
  readonly eventId: string;

  constructor(eventId: string, purpose: string) {
    super(`state resolution needs event ${eventId} (${purpose}) but the event fetcher does not know it`);
    this.eventId = eventId;
  }
}
