// The little of a logger the actor system needs. A pino logger satisfies it; the default is silent.

export interface ActorLogger {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

export const silentActorLogger: ActorLogger = { info() {}, warn() {}, error() {} };
