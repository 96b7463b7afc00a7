// The little of a logger the stream machinery needs. A pino logger satisfies it; default silent.

export interface StreamLogger {
  warn(details: object, message: string): void;
  info(details: object, message: string): void;
}

export const silentStreamLogger: StreamLogger = { warn() {}, info() {} };

/** protobufjs hands int64 back as a Long when the `long` package is installed. */
export function int64ToNumber(value: number | { toNumber(): number } | null | undefined): number {
  if (value === null || value === undefined) return 0;
  return typeof value === 'number' ? value : value.toNumber();
}
