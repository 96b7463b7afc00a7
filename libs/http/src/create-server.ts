// The Fastify instance every process listens with: Matrix errors rendered once, JSON bodies
// parsed whatever the content type (as Synapse does), size limits, CORS, 404/405 as
// M_UNRECOGNIZED, health, readiness and Prometheus metrics, and (given a token resolver) access
// tokens checked before bodies, from the route table.
import Fastify, { LogController, type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { CORS_HEADERS, registerCors } from './cors.ts';
import { registerJsonContentType } from './json-content-type.ts';
import { LIVENESS, readiness } from './health-server.ts';
import { lazySchemaCompilers } from './lazy-schema-compilers.ts';
import { invalidParam, isTemporarilyUnavailable, MatrixError, notJson, serviceUnavailable, tooLarge, unrecognized } from './matrix-error.ts';
import { MAX_CLIENT_JSON_DEPTH, MAX_FEDERATION_JSON_DEPTH, parseJsonBody } from './json-body.ts';
import { stringifyReply } from './stringify-reply.ts';
import type { TokenResolver } from './auth.ts';
import { registerMetrics, type ProcessMetrics } from './metrics.ts';
import { registerNulGuard } from './nul-guard.ts';
import { installRouteAuth } from './route-auth.ts';

export interface CreateServerOptions {
  readonly logger: Logger;
  /** Largest request body accepted. Default: 1 MiB (media routes set their own). */
  readonly bodyLimit?: number;
  /** Readiness: false while the process is catching up. Default: always ready. */
  readonly isReady?: () => boolean;
  readonly metrics: ProcessMetrics;
  /**
   * Who owns an access token. When given, routes the route table marks `required` or
   * `optional` are authenticated before their body is parsed or validated. Default: none
   * (handlers authenticate on their own).
   */
  readonly resolveToken?: TokenResolver<unknown>;
  /**
   * Serve `/metrics` here (the listener's resources include `metrics`). Default: true.
   */
  readonly serveMetrics?: boolean;
  /**
   * The listener sits behind a reverse proxy (`x_forwarded: true`): the client address is the
   * one the nearest proxy appended to X-Forwarded-For (and the scheme and host its
   * X-Forwarded-Proto/-Host), not the socket's. Default: false (the socket's address).
   */
  readonly xForwarded?: boolean;
  /** Serve HTTPS with this PEM key and certificate (a `tls: true` listener). Default: plain HTTP. */
  readonly https?: { readonly key: Buffer; readonly cert: Buffer };
}

function routeRegex(url: string): RegExp {
  const pattern = url
    .split('/')
    .map((part) => (part.startsWith(':') ? '[^/]+' : part === '*' ? '.*' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${pattern}/?$`);
}

function validationError(error: FastifyError): MatrixError {
  const first = error.validation?.[0];
  const where = error.validationContext ?? 'body';
  const path = first?.instancePath ? first.instancePath.slice(1).replace(/\//g, '.') : '';
  if (first?.keyword === 'required') {
    const missing = (first.params as { missingProperty?: string }).missingProperty ?? 'a field';
    const key = path ? `${path}.${missing}` : missing;
    return new MatrixError(400, where === 'body' ? 'M_BAD_JSON' : 'M_MISSING_PARAM', `missing ${where} field ${JSON.stringify(key)}`);
  }
  const detail = `${where} ${path ? `field ${JSON.stringify(path)}` : 'value'} ${first?.message ?? 'is invalid'}`;
  return new MatrixError(400, where === 'body' ? 'M_BAD_JSON' : 'M_INVALID_PARAM', detail);
}

/** How long clients are told to wait after a 503 for an unreachable process (about a restart's worth). */
const UNAVAILABLE_RETRY_AFTER_MS = 2000;

function toMatrixError(error: FastifyError | MatrixError | Error, request: FastifyRequest): MatrixError {
  if (error instanceof MatrixError) return error;
  if (isTemporarilyUnavailable(error)) {
    request.log.warn({ err: error }, 'answering 503: a process this request needs is unreachable');
    return serviceUnavailable('A server process this request needs is unreachable right now; retry shortly', UNAVAILABLE_RETRY_AFTER_MS);
  }
  const fastifyError = error as FastifyError;
  if (fastifyError.validation) return validationError(fastifyError);
  switch (fastifyError.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return tooLarge(`request body exceeds the ${request.routeOptions.bodyLimit ?? 0}-byte limit`);
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return notJson('request body is empty or its length is wrong; expected a JSON object');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return notJson(`content type ${JSON.stringify(request.headers['content-type'])} is not accepted here`);
  }
  if (error instanceof SyntaxError || fastifyError.code === 'FST_ERR_BAD_JSON') return notJson(`request body is not valid JSON: ${error.message}`);
  const status = fastifyError.statusCode;
  if (status !== undefined && status >= 400 && status < 500) return new MatrixError(status, 'M_UNKNOWN', error.message);
  return new MatrixError(500, 'M_UNKNOWN', 'Internal server error');
}

/**
 * Errors Fastify raises before routing, chiefly a path whose percent-encoding does not decode
 * (`%E0%A4%A`, `%zz`): a Matrix error, not Fastify's own body. No hook has run, so CORS headers
 * are added here.
 */
function renderFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const matrixError = error.code === 'FST_ERR_BAD_URL'
    ? invalidParam(`the request path is not valid percent-encoded UTF-8: ${JSON.stringify(request.url.split('?')[0])}`)
    : toMatrixError(error, request);
  void reply.code(matrixError.status).headers({ ...CORS_HEADERS, ...matrixError.headers }).send(matrixError.toJSON());
}

/** proxy-addr's trust test: hop 0 (the socket peer, our proxy) is trusted, nothing beyond it. */
const trustNearestProxy = (_address: string, hop: number): boolean => hop === 0;

export async function createServer(options: CreateServerOptions): Promise<FastifyInstance> {
  // Fastify types an HTTPS instance apart from an HTTP one; every route and hook is the same.
  const app = Fastify({
    ...(options.https !== undefined ? { https: { key: options.https.key, cert: options.https.cert } } : {}),
    loggerInstance: options.logger as FastifyBaseLogger,
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    // Request URLs may carry access tokens (?access_token=): never log them wholesale.
    logController: new LogController({ disableRequestLogging: true }),
    return503OnClosing: true,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 1000 },
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: false } },
    schemaController: { compilersFactory: lazySchemaCompilers() },
    // One trusted hop: the entry the proxy itself appended. Trusting every hop would take the
    // left-most entry, which the client writes, and let it choose its own rate-limit key.
    trustProxy: options.xForwarded === true ? trustNearestProxy : false,
    frameworkErrors: renderFrameworkError,
  });
  // Stored events may nest deeper than V8's recursive JSON.stringify can go (they were accepted
  // before bodies were bounded, or came from elsewhere): every reply must still serialise.
  app.setReplySerializer(stringifyReply);

  // Matrix clients send JSON with all sorts of content types (or none); Synapse parses them all.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (request, body, done) => {
    // No route: the answer is 404 M_UNRECOGNIZED whatever the body holds.
    if (request.is404) return done(null, undefined);
    const maxDepth = request.url.startsWith('/_matrix/federation/') ? MAX_FEDERATION_JSON_DEPTH : MAX_CLIENT_JSON_DEPTH;
    try {
      done(null, parseJsonBody(body as Buffer, { maxDepth }));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
  registerNulGuard(app);

  const routes: Array<{ method: string; regex: RegExp }> = [];
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routes.push({ method, regex: routeRegex(route.url) });
  });

  registerCors(app);
  registerJsonContentType(app);
  registerMetrics(app, options.metrics, { serveEndpoint: options.serveMetrics ?? true });
  if (options.resolveToken !== undefined) installRouteAuth(app, { resolveToken: options.resolveToken });

  app.setErrorHandler(async (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const matrixError = toMatrixError(error, request);
    if (matrixError.status >= 500) request.log.error({ err: error }, 'request failed');
    await reply.code(matrixError.status).headers(matrixError.headers).send(matrixError.toJSON());
  });

  app.setNotFoundHandler(async (request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split('?')[0] ?? request.url;
    const otherMethod = routes.some((r) => r.method !== request.method && r.regex.test(path));
    const error = otherMethod
      ? unrecognized(`method ${request.method} is not allowed on ${path}`, 405)
      : unrecognized(`unrecognized request: ${request.method} ${path}`);
    await reply.code(error.status).send(error.toJSON());
  });

  app.get('/health', async (_request, reply) => reply.code(LIVENESS.status).type('text/plain').send(LIVENESS.body));
  app.get('/health/ready', async (_request, reply) => {
    const { status, body } = readiness(options.isReady);
    await reply.code(status).type('text/plain').send(body);
  });
  return app;
}
