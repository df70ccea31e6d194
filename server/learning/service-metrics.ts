// Service-wide metrics: one prom-client registry per service instance. The JSON view
// (GET /poet/metrics) reads the same counters, so the two never disagree.
// Requests and transpiles are observed through the service's event bus, so the learning
// module adds no code to the request path of other routes.
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import type { ServiceMetrics } from '../../shared/contract/learning';
import type { ObservedEvents } from './deps';
import { quantileSorted } from './stats';

const LATENCY_WINDOW = 10_000;

export class ServiceMetricsCollector {
  readonly registry = new Registry();
  private readonly requests = new Counter({
    name: 'poet_http_requests_total',
    help: 'HTTP requests by method, matched route and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });
  private readonly duration = new Histogram({
    name: 'poet_http_request_duration_seconds',
    help: 'HTTP request latency',
    labelNames: ['method', 'route'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  private readonly transpiles = new Counter({
    name: 'poet_transpile_total',
    help: 'Transpile outcomes: cache hit, or a new generation',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  private readonly executions = new Counter({
    name: 'poet_executions_total',
    help: 'Executions recorded, by function, version and status',
    labelNames: ['function', 'version', 'status'] as const,
    registers: [this.registry],
  });
  private readonly feedback = new Counter({
    name: 'poet_feedback_total',
    help: 'Feedback records, by function and sentiment',
    labelNames: ['function', 'sentiment'] as const,
    registers: [this.registry],
  });
  private readonly trainings = new Counter({
    name: 'poet_trainings_total',
    help: 'Train runs, by outcome (trained, no_change, not_enough_data, dry_run) and trigger',
    labelNames: ['status', 'trigger'] as const,
    registers: [this.registry],
  });
  /** Recent request latencies (ms) for exact percentiles in the JSON view. */
  private readonly latencies: number[] = [];
  private latencyCursor = 0;

  constructor(private readonly startedAt: number) {
    collectDefaultMetrics({ register: this.registry, prefix: 'poet_' });
  }

  /** Subscribes to the service's request and transpile events. */
  attach(events: ObservedEvents): void {
    events.on('request', (e) => this.observeRequest(e.method, e.route, e.status, e.duration_ms));
    events.on('transpile', (e) => this.transpiles.inc({ outcome: e.cached ? 'cache_hit' : e.created ? 'generated' : 'cache_miss' }));
  }

  observeRequest(method: string, route: string, status: number, durationMs: number): void {
    this.requests.inc({ method, route, status: String(status) });
    this.duration.observe({ method, route }, durationMs / 1000);
    if (this.latencies.length < LATENCY_WINDOW) this.latencies.push(durationMs);
    else {
      this.latencies[this.latencyCursor] = durationMs;
      this.latencyCursor = (this.latencyCursor + 1) % LATENCY_WINDOW;
    }
  }

  execution(fn: string, version: string, status: string): void {
    this.executions.inc({ function: fn, version, status });
  }
  feedbackRecorded(fn: string, sentiment: string): void {
    this.feedback.inc({ function: fn, sentiment });
  }
  training(status: string, trigger: 'api' | 'auto'): void {
    this.trainings.inc({ status, trigger });
  }

  async prometheus(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  async snapshot(): Promise<Omit<ServiceMetrics, 'learning_memory'>> {
    const sum = async (c: Counter<string>, pred: (l: Partial<Record<string, string | number>>) => boolean = () => true) =>
      (await c.get()).values.filter((v) => pred(v.labels)).reduce((s, v) => s + v.value, 0);
    const req = (await this.requests.get()).values.map((v) => ({
      method: String(v.labels.method),
      route: String(v.labels.route),
      status: Number(v.labels.status),
      count: v.value,
    }));
    req.sort((a, b) => (a.route === b.route ? a.method.localeCompare(b.method) || a.status - b.status : a.route.localeCompare(b.route)));
    const sorted = [...this.latencies].sort((a, b) => a - b);
    const r = (x: number | null) => (x === null ? null : Math.round(x * 1000) / 1000);
    const hits = await sum(this.transpiles, (l) => l.outcome === 'cache_hit');
    const generated = await sum(this.transpiles, (l) => l.outcome === 'generated');
    const misses = generated + (await sum(this.transpiles, (l) => l.outcome === 'cache_miss'));
    return {
      uptime_s: Math.round((Date.now() - this.startedAt) / 100) / 10,
      requests: req,
      latency_ms: { count: sorted.length, p50: r(quantileSorted(sorted, 0.5)), p95: r(quantileSorted(sorted, 0.95)), p99: r(quantileSorted(sorted, 0.99)) },
      cache: { hits, misses, hit_rate: hits + misses ? Math.round((hits / (hits + misses)) * 1e4) / 1e4 : null },
      generations: generated,
      errors: req.filter((x) => x.status >= 500).reduce((s, x) => s + x.count, 0),
      executions_recorded: await sum(this.executions),
      feedback_recorded: await sum(this.feedback),
      trainings: await sum(this.trainings),
    };
  }
}
