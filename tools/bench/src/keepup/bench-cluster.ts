// What the keep-up benchmark needs of a running deployment, ours or Synapse's: where clients go,
// and each process to charge (its pid for /proc, and where its /metrics answers, if anywhere).

export interface BenchProcess {
  /** worker_name, e.g. sync2. */
  readonly name: string;
  /** The app it runs, in this repository's names (main, sync, event-persister, ...). */
  readonly app: string;
  readonly pid: number;
  /** Prometheus /metrics with stream_reader_lag. Default: none (not sampled). */
  readonly metricsUrl?: string;
}

export interface BenchCluster {
  /** Printed above the figures. */
  readonly label: string;
  /** The reverse proxy in front of every process. */
  readonly baseUrl: string;
  readonly processes: readonly BenchProcess[];
  stop(): Promise<void>;
}
