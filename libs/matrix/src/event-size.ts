// Event size limits (client-server API, "Size limits"): the whole event as canonical JSON is
// at most 65,536 bytes; sender, room_id, state_key, type and event_id at most 255 bytes.
import { encodeCanonicalJson } from './canonical-json.ts';
import { EventSizeError } from './errors.ts';
import { MAX_ID_BYTES, utf8ByteLength } from './ids/byte-length.ts';
import type { JsonObject } from './json.ts';

export const MAX_EVENT_BYTES = 65_536;
const LIMITED_FIELDS = ['sender', 'room_id', 'state_key', 'type', 'event_id'] as const;

export interface EventSizeOptions {
  /** Allow legacy numbers (room versions 1–5) when encoding. Default: false. */
  allowUnsafeNumbers?: boolean;
}

/** Canonical JSON size of the event in bytes. */
export function eventSize(event: JsonObject, options: EventSizeOptions = {}): number {
  return utf8ByteLength(encodeCanonicalJson(event, options));
}

/** Throws EventSizeError naming the field (or the whole event) that is too large. */
export function checkEventSize(event: JsonObject, options: EventSizeOptions = {}): void {
  for (const field of LIMITED_FIELDS) {
    const value = event[field];
    if (typeof value === 'string') {
      const size = utf8ByteLength(value);
      if (size > MAX_ID_BYTES) throw new EventSizeError(field, size, MAX_ID_BYTES);
    }
  }
  const size = eventSize(event, options);
  if (size > MAX_EVENT_BYTES) throw new EventSizeError('', size, MAX_EVENT_BYTES);
}
