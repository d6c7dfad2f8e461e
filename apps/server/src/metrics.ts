// Prometheus metrics of the daemon (GET /metrics). One registry per daemon, so tests that start
// several in one process do not share counters.
import type { ProbeEvent } from '@orc/topology';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { BackendCall } from './wiring/timed-backend.js';

/** Every metric the daemon updates. */
export interface DaemonMetrics {
  readonly registry: Registry;
  readonly probes: Counter<'outcome'>;
  readonly probeDuration: Histogram<'outcome'>;
  readonly backendQueries: Histogram<'repository' | 'operation' | 'outcome'>;
  readonly queueDepth: Gauge;
  readonly knownInstances: Gauge;
  readonly analysisEntries: Gauge<'code'>;
  readonly kvWrites: Counter<'store' | 'outcome'>;
  readonly httpRequests: Counter<'route' | 'method' | 'status'>;
  readonly httpDuration: Histogram<'route'>;
  readonly commands: Counter<'kind' | 'outcome'>;
  readonly isActive: Gauge;
  readonly recoveries: Counter<'analysis' | 'status'>;
}

/**
 * Creates the registry and its metrics (plus Node's default process metrics).
 *
 * @example
 * const m = createMetrics(); m.probes.inc({ outcome: 'ok' }); await m.registry.metrics();
 */
export function createMetrics(): DaemonMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'orc_' });
  const registers = [registry];
  return {
    registry,
    probes: new Counter({
      name: 'orc_probes_total',
      help: 'Server probes by outcome (ok, or the error code)',
      labelNames: ['outcome'],
      registers,
    }),
    probeDuration: new Histogram({
      name: 'orc_probe_duration_seconds',
      help: 'Server probe duration (connect and every query of the probe) by outcome (ok, error)',
      labelNames: ['outcome'],
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5],
      registers,
    }),
    backendQueries: new Histogram({
      name: 'orc_backend_query_duration_seconds',
      help: 'Backend calls (one statement or one short transaction) by repository, operation and outcome',
      labelNames: ['repository', 'operation', 'outcome'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05, 0.25, 1],
      registers,
    }),
    queueDepth: new Gauge({ name: 'orc_discovery_queue_depth', help: 'Instance keys waiting to be probed', registers }),
    knownInstances: new Gauge({ name: 'orc_known_instances', help: 'Instances orc knows', registers }),
    analysisEntries: new Gauge({
      name: 'orc_analysis_entries',
      help: 'Replication analysis entries by code, at the last analysis',
      labelNames: ['code'],
      registers,
    }),
    kvWrites: new Counter({
      name: 'orc_kv_writes_total',
      help: 'KV writes by store and outcome',
      labelNames: ['store', 'outcome'],
      registers,
    }),
    httpRequests: new Counter({
      name: 'orc_http_requests_total',
      help: 'HTTP requests by route pattern, method and status',
      labelNames: ['route', 'method', 'status'],
      registers,
    }),
    httpDuration: new Histogram({
      name: 'orc_http_request_duration_seconds',
      help: 'HTTP request duration by route pattern',
      labelNames: ['route'],
      buckets: [0.001, 0.005, 0.02, 0.1, 0.5, 2, 10],
      registers,
    }),
    commands: new Counter({
      name: 'orc_commands_total',
      help: 'Commands applied by kind and outcome',
      labelNames: ['kind', 'outcome'],
      registers,
    }),
    isActive: new Gauge({ name: 'orc_is_active_node', help: '1 on the active node', registers }),
    recoveries: new Counter({
      name: 'orc_recoveries_total',
      help: 'Recoveries by analysis code and outcome (successful, partial, failed, refused, skipped)',
      labelNames: ['analysis', 'status'],
      registers,
    }),
  };
}

/**
 * Counts one probe by outcome (`ok` or the error code, e.g. `UNREACHABLE`) and observes its
 * duration. The duration comes from the instance's stamps: discovery sets `lastAttemptedCheckAt`
 * when the probe starts and `lastCheckedAt` when its result is recorded (epoch ms, both).
 *
 * @example
 * topology.onProbe((e) => observeProbe(metrics, e));
 */
export function observeProbe(metrics: DaemonMetrics, e: ProbeEvent): void {
  metrics.probes.inc({ outcome: e.ok ? 'ok' : (e.instance.lastProbeError?.code ?? 'error') });
  const { lastAttemptedCheckAt: started, lastCheckedAt: ended } = e.instance;
  if (started !== null && ended !== null && ended >= started)
    metrics.probeDuration.observe({ outcome: e.ok ? 'ok' : 'error' }, (ended - started) / 1000);
}

/**
 * Observes one backend call (see `timedBackend`).
 *
 * @example
 * const backend = timedBackend(opened, () => performance.now(), (c) => observeBackendCall(metrics, c));
 */
export function observeBackendCall(metrics: DaemonMetrics, c: BackendCall): void {
  metrics.backendQueries.observe(
    { repository: c.repository, operation: c.operation, outcome: c.ok ? 'ok' : 'error' },
    c.seconds,
  );
}
