// Prometheus metrics of one process: request latency by route and Node's process metrics, on the
// registry that metrics-sources.ts adds mailbox depth, stream positions and lag and DB pool use to.
import type { FastifyInstance } from 'fastify';
import { CacheMetrics } from './cache-metrics.ts';
import { registerNodeMetrics } from './node-metrics.ts';
import { Counter, Histogram, Registry } from './prometheus.ts';

export interface ProcessMetrics {
  readonly registry: Registry;
  readonly requestDuration: Histogram<'method' | 'route' | 'status'>;
  /** Replication frames dropped for failing authentication (no_mac, bad_mac, stale, replayed, wrong_kind). */
  readonly replicationRejected: Counter<'reason'>;
  /** Where the process's in-memory caches register their sizes (cache_entries, cache_size, cache_max_size). */
  readonly caches: CacheMetrics;
}

export function createProcessMetrics(labels: { workerName: string; workerApp: string }): ProcessMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ worker_name: labels.workerName, worker_app: labels.workerApp });
  registerNodeMetrics(registry);
  const requestDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by route pattern',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const replicationRejected = new Counter({
    name: 'replication_messages_rejected_total',
    help: 'Replication messages and requests dropped because their MAC under worker_replication_secret was missing, wrong, stale or replayed',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  return { registry, requestDuration, replicationRejected, caches: new CacheMetrics(registry) };
}

export interface RegisterMetricsOptions {
  /** Serve GET /metrics on this listener (its resources include `metrics`). Default: true. */
  readonly serveEndpoint?: boolean;
}

/** Times every request; serves the registry on GET /metrics where the listener offers it. */
export function registerMetrics(app: FastifyInstance, metrics: ProcessMetrics, options: RegisterMetricsOptions = {}): void {
  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.requestDuration.observe({ method: request.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
    done();
  });
  if (options.serveEndpoint === false) return;
  app.get('/metrics', async (_request, reply) => {
    await reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
}
