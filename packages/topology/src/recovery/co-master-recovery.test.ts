import { describe, expect, it } from '@jest/globals';
import type { ReplicationAnalysis } from '../analysis/replication-analysis.js';
import type { Instance } from '../instance/instance.js';
import { unseenInstance } from '../instance/instance.js';
import { instanceKey } from '../instance/instance-key.js';
import { deadCoMasterRequest, isDeadCoMasterCode } from './co-master-recovery.js';
import { hookContext } from './hook-context.js';
import { validateRecoveryConfig } from './recovery-config.js';

const a = instanceKey('a', 3306);
const b = instanceKey('b', 3306);
const r = instanceKey('r', 3306);
const at = (key: typeof a, master: typeof a | null): Instance => ({ ...unseenInstance(key), masterKey: master });
const entry = (code: string): ReplicationAnalysis =>
  ({
    Analysis: code,
    AnalyzedInstanceKey: { Hostname: 'a', Port: 3306 },
    ClusterDetails: { ClusterName: 'a:3306', ClusterAlias: 'ring', ClusterDomain: '' },
    IsDowntimed: false,
  }) as ReplicationAnalysis;

describe('deadCoMasterRequest', () => {
  const ring = { now: 1, instances: [at(a, b), at(b, a), at(r, a), at(instanceKey('x', 3306), null)] };

  it('requires the other co-primary as the candidate and takes the dead one with its replicas', () => {
    const req = deadCoMasterRequest(entry('DeadCoMaster'), ring)!;
    expect(req.requestedCandidate).toBe(b);
    expect(req.instances.map((i) => i.key)).toEqual([a, b, r]);
    const ctx = hookContext(req, {
      uid: 'u',
      nodeName: 'orc',
      replicaKeys: [b, r],
      config: validateRecoveryConfig({}),
    });
    expect([ctx.isCoMaster, ctx.failureType, ctx.failureDescription]).toEqual([
      true,
      'DeadCoMaster',
      'Co-master cannot be reached by orchestrator and none of its replicas is replicating',
    ]);
  });

  it('is undefined for other codes and when the snapshot shows no ring', () => {
    expect(isDeadCoMasterCode('DeadCoMasterAndSomeReplicas')).toBe(true);
    expect(deadCoMasterRequest(entry('DeadMaster'), ring)).toBeUndefined();
    expect(deadCoMasterRequest(entry('DeadCoMaster'), { now: 1, instances: [at(a, b), at(b, null)] })).toBeUndefined();
    expect(deadCoMasterRequest(entry('DeadCoMaster'), { now: 1, instances: [at(a, null)] })).toBeUndefined();
  });
});
