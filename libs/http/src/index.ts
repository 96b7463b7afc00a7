// Public entry of @homeserver/http: Fastify plumbing shared by every process.
export type { CreateServerOptions } from './create-server.ts';
export { createServer } from './create-server.ts';
export {
  MatrixError,
  badJson,
  forbidden,
  invalidParam,
  limitExceeded,
  missingParam,
  missingToken,
  notFound,
  notJson,
  tooLarge,
  unknown,
  unknownToken,
  unrecognized,
} from './matrix-error.ts';
export type { ProcessMetrics } from './metrics.ts';
export { createProcessMetrics } from './metrics.ts';
