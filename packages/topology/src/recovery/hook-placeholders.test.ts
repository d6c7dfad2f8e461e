import { describe, expect, it } from '@jest/globals';
import { unseenInstance } from '../instance/instance.js';
import { instanceKey } from '../instance/instance-key.js';
import { hookContext } from './hook-context.js';
import { applyPlaceholders, hookEnvironment } from './hook-placeholders.js';
import { validateRecoveryConfig } from './recovery-config.js';

const failed = instanceKey('db1', 3306);
const r1 = instanceKey('db2', 3306);
const ctx = {
  ...hookContext(
    {
      analysis: 'DeadMaster',
      failedKey: failed,
      clusterName: 'db1:3306',
      clusterAlias: 'shop',
      instances: [unseenInstance(failed)],
    },
    {
      uid: 'u1',
      nodeName: 'orc1',
      replicaKeys: [r1],
      config: validateRecoveryConfig({ recoverMasterClusterFilters: ['alias=shop'] }),
    },
  ),
  successorHost: 'db2',
  successorPort: 3306,
  lostReplicas: ['db3:3306'],
};

describe('hook placeholders', () => {
  it("fills orchestrator's placeholders and their legacy names, leaving unknown braces", () => {
    expect(
      applyPlaceholders(
        '{failureType} {failedHost}:{failedPort} {successorHost}:{successorPort} {countSlaves} {slaveHosts} {lostSlaves} {countLostReplicas} {autoMasterRecovery} {nope}',
        ctx,
      ),
    ).toBe('DeadMaster db1:3306 db2:3306 1 db2:3306 db3:3306 1 true {nope}');
  });

  it('sets the ORC_* variables', () => {
    expect(hookEnvironment(ctx)).toMatchObject({
      ORC_FAILURE_TYPE: 'DeadMaster',
      ORC_FAILED_HOST: 'db1',
      ORC_FAILED_PORT: '3306',
      ORC_FAILURE_CLUSTER_ALIAS: 'shop',
      ORC_SUCCESSOR_HOST: 'db2',
      ORC_RECOVERY_UID: 'u1',
      ORC_ORCHESTRATOR_HOST: 'orc1',
      ORC_IS_SUCCESSFUL: 'false',
      ORC_REPLICA_HOSTS: 'db2:3306',
    });
  });
});
