// The little of a logger the adapters need. A pino logger satisfies it; the default is silent.

export interface TransportLogger {
  warn(details: object, message: string): void;
}

export const silentLogger: TransportLogger = { warn() {} };
