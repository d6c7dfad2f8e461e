import { describe, expect, it } from '@jest/globals';
import { instanceKey, unseenInstance, type ProbeEvent } from '@orc/topology';
import { createMetrics, observeBackendCall, observeProbe } from './metrics.js';

const key = instanceKey('db1', 3306);
const at = Date.UTC(2026, 11, 6, 20, 0, 0);

function probe(ok: boolean, ms: number): ProbeEvent {
  return {
    key,
    ok,
    instance: {
      ...unseenInstance(key),
      lastAttemptedCheckAt: at,
      lastCheckedAt: at + ms,
      lastProbeError: ok ? null : { code: 'CONNECTION_REFUSED', message: 'connect ECONNREFUSED', at: at + ms },
    },
  };
}

describe('daemon metrics', () => {
  it('count probes by outcome and error code, and time them by outcome', async () => {
    const m = createMetrics();
    observeProbe(m, probe(true, 4));
    observeProbe(m, probe(true, 30));
    observeProbe(m, probe(false, 2000));
    const text = await m.registry.metrics();
    expect(text).toContain('orc_probes_total{outcome="ok"} 2');
    expect(text).toContain('orc_probes_total{outcome="CONNECTION_REFUSED"} 1');
    expect(text).toContain('orc_probe_duration_seconds_bucket{le="0.005",outcome="ok"} 1');
    expect(text).toContain('orc_probe_duration_seconds_bucket{le="0.05",outcome="ok"} 2');
    expect(text).toContain('orc_probe_duration_seconds_count{outcome="ok"} 2');
    expect(text).toContain('orc_probe_duration_seconds_sum{outcome="ok"} 0.034');
    expect(text).toContain('orc_probe_duration_seconds_bucket{le="1",outcome="error"} 0');
    expect(text).toContain('orc_probe_duration_seconds_bucket{le="5",outcome="error"} 1');
  });

  it('time no probe that has no start stamp (an instance never attempted)', async () => {
    const m = createMetrics();
    const e = probe(true, 1);
    observeProbe(m, { ...e, instance: { ...e.instance, lastAttemptedCheckAt: null } });
    const text = await m.registry.metrics();
    expect(text).toContain('orc_probes_total{outcome="ok"} 1');
    expect(text).not.toContain('orc_probe_duration_seconds_count{outcome="ok"}');
  });

  it('time backend calls by repository, operation and outcome', async () => {
    const m = createMetrics();
    observeBackendCall(m, { repository: 'instances', operation: 'upsert', ok: true, seconds: 0.0008 });
    observeBackendCall(m, { repository: 'kv', operation: 'put', ok: false, seconds: 0.3 });
    const text = await m.registry.metrics();
    expect(text).toContain(
      'orc_backend_query_duration_seconds_bucket{le="0.001",repository="instances",operation="upsert",outcome="ok"} 1',
    );
    expect(text).toContain(
      'orc_backend_query_duration_seconds_count{repository="kv",operation="put",outcome="error"} 1',
    );
    expect(text).toContain('# TYPE orc_discovery_queue_depth gauge');
  });
});
