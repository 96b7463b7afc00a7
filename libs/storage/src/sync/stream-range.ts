// The range a stream reader's catch-up call asks for (same shape as libs/streams' FetchRange),
// and the helper that maps rows of the CS-sync stream tables into what readers receive.

export interface StreamRange {
  readonly writer: string;
  /** Exclusive lower bound. */
  readonly from: number;
  /** Inclusive upper bound. */
  readonly to: number;
  readonly limit: number;
}

/** A stream row as a catch-up call returns it. */
export interface StreamRow<Data> {
  readonly position: number;
  readonly data: Data;
}

/**
 * A window over a multi-writer stream for queries: rows with floor < position <= ceiling are
 * fetched and then filtered per writer in code (vector positions cannot be said in one range).
 */
export interface PositionWindow {
  /** Exclusive: rows at or below are never returned. */
  readonly floor: number;
  /** Inclusive: rows above are never returned. */
  readonly ceiling: number;
}
