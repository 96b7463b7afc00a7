// Vector positions of multi-writer streams: how far a view has seen each writer of a stream.
// Stored as a floor (`min`, every writer is at least there) plus the writers above it, as
// Synapse's MultiWriterStreamToken does, so a quiet stream's position stays one number.
// Single-writer streams are the degenerate case: one writer, usually no entries above `min`.

export class InvalidPositionError extends Error {
  override name = 'InvalidPositionError';
}

function assertPosition(what: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new InvalidPositionError(`cannot use ${what} = ${value}: stream positions are non-negative safe integers`);
  }
}

export class VectorPosition {
  /** Every writer not listed in `writers` is at this position. */
  readonly min: number;
  /** Writers strictly above `min`, by instance name. */
  readonly writers: ReadonlyMap<string, number>;

  private constructor(min: number, writers: ReadonlyMap<string, number>) {
    this.min = min;
    this.writers = writers;
  }

  static readonly ZERO = new VectorPosition(0, new Map());

  /** A position with a floor and writers; entries at or below the floor are dropped. */
  static of(min: number, writers: Iterable<readonly [string, number]> = []): VectorPosition {
    assertPosition('min', min);
    const above = new Map<string, number>();
    for (const [writer, position] of writers) {
      assertPosition(`position of ${writer}`, position);
      if (position > min) above.set(writer, position);
    }
    return new VectorPosition(min, above);
  }

  /**
   * The position of a set of writers that are each exactly where given: the floor is their
   * minimum. An empty set gives ZERO.
   */
  static fromWriters(positions: Iterable<readonly [string, number]>): VectorPosition {
    const entries = [...positions];
    if (entries.length === 0) return VectorPosition.ZERO;
    const min = Math.min(...entries.map(([, position]) => position));
    return VectorPosition.of(min, entries);
  }

  /** Where this view has seen `writer` up to. */
  get(writer: string): number {
    return this.writers.get(writer) ?? this.min;
  }

  /** The highest position of any writer: what single-writer callers compare. */
  get max(): number {
    let max = this.min;
    for (const position of this.writers.values()) if (position > max) max = position;
    return max;
  }

  /** This position with `writer` moved to `position` (never backwards). */
  advance(writer: string, position: number): VectorPosition {
    assertPosition(`position of ${writer}`, position);
    if (position <= this.get(writer)) return this;
    const writers = new Map(this.writers);
    writers.set(writer, position);
    return new VectorPosition(this.min, writers);
  }

  /** Raises the floor (e.g. to the minimum over all configured writers), folding entries in. */
  withMin(min: number): VectorPosition {
    if (min <= this.min) return this;
    return VectorPosition.of(min, this.writers);
  }

  /** The pointwise maximum: a view that has seen everything either has seen. */
  merge(other: VectorPosition): VectorPosition {
    const min = Math.max(this.min, other.min);
    const writers = new Map<string, number>();
    for (const writer of new Set([...this.writers.keys(), ...other.writers.keys()])) {
      writers.set(writer, Math.max(this.get(writer), other.get(writer)));
    }
    return VectorPosition.of(min, writers);
  }

  /**
   * True when this view has seen at least everything `other` has, writer by writer. The writer
   * set is open-ended, so a lower floor never covers: an unlisted writer sits at each floor.
   */
  covers(other: VectorPosition): boolean {
    if (this.min < other.min) return false;
    for (const [writer, position] of other.writers) {
      if (this.get(writer) < position) return false;
    }
    return true;
  }

  equals(other: VectorPosition): boolean {
    return this.covers(other) && other.covers(this);
  }

  /** Writers sorted by name, for stable logs and tests. */
  toJSON(): { min: number; writers: Record<string, number> } {
    const writers: Record<string, number> = {};
    for (const writer of [...this.writers.keys()].sort()) writers[writer] = this.writers.get(writer)!;
    return { min: this.min, writers };
  }
}
