// Prometheus metrics in the text exposition format (version 0.0.4): counters, gauges and
// histograms with labels, a registry that renders them with labels every series carries
// (worker_name, worker_app), and series read at scrape time through `collect`. Our own rather
// than prom-client: that library, with what it requires (OpenTelemetry's API, its push gateway's
// HTTPS and zlib, its t-digest summaries), kept ~2 MiB resident in every process, and this is
// the part of it the server uses.

export type LabelValues<K extends string> = Partial<Record<K, string | number>>;

interface MetricOptions<K extends string> {
  readonly name: string;
  readonly help: string;
  readonly labelNames?: readonly K[];
  /** The registries the metric is rendered by. */
  readonly registers?: readonly Registry[];
}

interface CollectedOptions<K extends string, M> extends MetricOptions<K> {
  /** Called before each render, with the metric as `this`: a series read from elsewhere is set here. */
  readonly collect?: (this: M) => void | Promise<void>;
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

const escapeHelp = (text: string) => text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
const escapeLabelValue = (text: string) => text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');

function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

/** `{a="1",b="2"}` from pairs already escaped, or nothing without labels. */
function labelBlock(pairs: readonly string[]): string {
  return pairs.length === 0 ? '' : `{${pairs.join(',')}}`;
}

abstract class Metric<K extends string, S> {
  readonly name: string;
  readonly help: string;
  readonly type: string;
  readonly labelNames: readonly K[];
  protected readonly series = new Map<string, { labels: LabelValues<K>; state: S }>();
  readonly #collect: (() => void | Promise<void>) | undefined;

  protected constructor(type: string, options: CollectedOptions<K, unknown>) {
    if (!METRIC_NAME.test(options.name)) throw new Error(`invalid metric name ${JSON.stringify(options.name)}`);
    this.name = options.name;
    this.help = options.help;
    this.labelNames = options.labelNames ?? [];
    for (const label of this.labelNames) {
      if (!LABEL_NAME.test(label) || label.startsWith('__')) throw new Error(`metric ${this.name}: invalid label name ${JSON.stringify(label)}`);
    }
    this.type = type;
    this.#collect = options.collect?.bind(this);
    for (const registry of options.registers ?? []) registry.register(this);
  }

  /** Forgets every series (a collect that sets what it reads starts here). */
  reset(): void {
    this.series.clear();
  }

  /** The state of the series `labels` names, made by `create` on first use. */
  protected stateFor(labels: LabelValues<K>, create: () => S): S {
    for (const name of Object.keys(labels)) {
      if (!this.labelNames.includes(name as K)) throw new Error(`metric ${this.name}: label ${JSON.stringify(name)} is not among its label names`);
    }
    const key = this.labelNames.map((name) => String(labels[name] ?? '')).join('\u0000');
    let entry = this.series.get(key);
    if (entry === undefined) {
      entry = { labels: { ...labels }, state: create() };
      this.series.set(key, entry);
    }
    return entry.state;
  }

  /** The series' label pairs, escaped, then the registry's labels the metric does not set itself. */
  protected labelPairs(labels: LabelValues<K>, defaults: Readonly<Record<string, string>>): string[] {
    const pairs: string[] = [];
    for (const name of this.labelNames) {
      const value = labels[name];
      if (value !== undefined) pairs.push(`${name}="${escapeLabelValue(String(value))}"`);
    }
    for (const [name, value] of Object.entries(defaults)) {
      if (labels[name as K] === undefined) pairs.push(`${name}="${escapeLabelValue(value)}"`);
    }
    return pairs;
  }

  /** HELP, TYPE and every sample line, after the metric's collect ran. */
  async render(defaults: Readonly<Record<string, string>>): Promise<string> {
    await this.#collect?.();
    const lines = [`# HELP ${this.name} ${escapeHelp(this.help)}`, `# TYPE ${this.name} ${this.type}`];
    for (const { labels, state } of this.series.values()) this.renderSeries(lines, this.labelPairs(labels, defaults), state);
    return `${lines.join('\n')}\n`;
  }

  protected abstract renderSeries(lines: string[], pairs: readonly string[], state: S): void;
}

/** Splits the (labels, value) and (value) call shapes. */
function labelsAndValue<K extends string>(a: LabelValues<K> | number | undefined, b: number | undefined, fallback: number): [LabelValues<K>, number] {
  return typeof a === 'object' ? [a, b ?? fallback] : [{}, a ?? fallback];
}

/** A value that only goes up (until the process restarts). */
export class Counter<K extends string = string> extends Metric<K, { value: number }> {
  constructor(options: CollectedOptions<K, Counter<K>>) {
    super('counter', options as CollectedOptions<K, unknown>);
  }

  inc(labels?: LabelValues<K> | number, value?: number): void {
    const [names, amount] = labelsAndValue(labels, value, 1);
    if (!(amount >= 0)) throw new Error(`counter ${this.name}: cannot add ${amount}`);
    this.stateFor(names, () => ({ value: 0 })).value += amount;
  }

  protected renderSeries(lines: string[], pairs: readonly string[], state: { value: number }): void {
    lines.push(`${this.name}${labelBlock(pairs)} ${formatValue(state.value)}`);
  }
}

/** A value that goes up and down. */
export class Gauge<K extends string = string> extends Metric<K, { value: number }> {
  constructor(options: CollectedOptions<K, Gauge<K>>) {
    super('gauge', options as CollectedOptions<K, unknown>);
  }

  set(labels: LabelValues<K> | number, value?: number): void {
    const [names, to] = labelsAndValue(labels, value, 0);
    this.stateFor(names, () => ({ value: 0 })).value = to;
  }

  protected renderSeries(lines: string[], pairs: readonly string[], state: { value: number }): void {
    lines.push(`${this.name}${labelBlock(pairs)} ${formatValue(state.value)}`);
  }
}

interface HistogramState {
  /** Observations at or below each bucket's bound (not cumulative; summed when rendered). */
  readonly counts: number[];
  sum: number;
  count: number;
}

/** Observations counted into buckets by upper bound, with their sum and count. */
export class Histogram<K extends string = string> extends Metric<K, HistogramState> {
  readonly buckets: readonly number[];

  constructor(options: CollectedOptions<K, Histogram<K>> & { readonly buckets: readonly number[] }) {
    if ((options.labelNames as readonly string[] | undefined)?.includes('le')) throw new Error(`histogram ${options.name}: "le" is the bucket label`);
    super('histogram', options as CollectedOptions<K, unknown>);
    this.buckets = [...options.buckets].sort((a, b) => a - b);
  }

  observe(labels: LabelValues<K> | number, value?: number): void {
    const [names, observed] = labelsAndValue(labels, value, 0);
    const state = this.stateFor(names, () => ({ counts: this.buckets.map(() => 0), sum: 0, count: 0 }));
    const bucket = this.buckets.findIndex((bound) => observed <= bound);
    if (bucket >= 0) state.counts[bucket] = (state.counts[bucket] ?? 0) + 1;
    state.sum += observed;
    state.count += 1;
  }

  protected renderSeries(lines: string[], pairs: readonly string[], state: HistogramState): void {
    let cumulative = 0;
    this.buckets.forEach((bound, i) => {
      cumulative += state.counts[i] ?? 0;
      lines.push(`${this.name}_bucket${labelBlock([`le="${formatValue(bound)}"`, ...pairs])} ${cumulative}`);
    });
    lines.push(`${this.name}_bucket${labelBlock(['le="+Inf"', ...pairs])} ${state.count}`);
    lines.push(`${this.name}_sum${labelBlock(pairs)} ${formatValue(state.sum)}`);
    lines.push(`${this.name}_count${labelBlock(pairs)} ${state.count}`);
  }
}

/** What a registry needs of a metric. */
interface RenderedMetric {
  readonly name: string;
  render(defaults: Readonly<Record<string, string>>): Promise<string>;
}

/** The metrics one /metrics page renders, in the order they were registered. */
export class Registry {
  readonly contentType = 'text/plain; version=0.0.4; charset=utf-8';
  readonly #metrics = new Map<string, RenderedMetric>();
  #defaultLabels: Readonly<Record<string, string>> = {};

  /** Labels added to every series (a metric's own label of the same name wins). */
  setDefaultLabels(labels: Readonly<Record<string, string>>): void {
    for (const name of Object.keys(labels)) if (!LABEL_NAME.test(name)) throw new Error(`invalid label name ${JSON.stringify(name)}`);
    this.#defaultLabels = { ...labels };
  }

  register(metric: RenderedMetric): void {
    if (this.#metrics.has(metric.name)) throw new Error(`a metric named ${metric.name} is already registered`);
    this.#metrics.set(metric.name, metric);
  }

  /** The whole page: every metric, each collected first. */
  async metrics(): Promise<string> {
    const parts: string[] = [];
    for (const metric of this.#metrics.values()) parts.push(await metric.render(this.#defaultLabels));
    return parts.join('\n');
  }

  /** One metric's part of the page (empty when there is none by that name). */
  async getSingleMetricAsString(name: string): Promise<string> {
    return (await this.#metrics.get(name)?.render(this.#defaultLabels)) ?? '';
  }
}
