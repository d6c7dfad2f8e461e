// The manual refactoring operations of the API (relocate, move-up, take-master, ...), built on
// @orc/topology's RefactorOps with the same kind of bounded MySQL connections and the same
// credentials and timeouts as the recovery engine, over the daemon's discovery view.
import type { RefactorPort } from '@orc/api';
import {
  Mysql2Connector,
  RefactorOps,
  ShellHookRunner,
  type OrcTopology,
  type RecoveryConfig,
  type TopologyConfig,
} from '@orc/topology';
import type { Clock } from '../clock.js';
import type { Logger } from '../logging.js';

/**
 * What the refactoring port is built from.
 *
 * @example
 * const parts: RefactorPortParts = { topology, topologyConfig: topology.config, recovery: config.recovery, clock, logger, nodeName: 'orc1' };
 */
export interface RefactorPortParts {
  readonly topology: OrcTopology;
  readonly topologyConfig: TopologyConfig;
  readonly recovery: RecoveryConfig;
  readonly clock: Clock;
  readonly logger: Logger;
  /** `{orchestratorHost}` of the hooks. */
  readonly nodeName: string;
}

/**
 * The API's refactoring port: RefactorOps on the daemon's topology view. Catch-up and
 * verification bounds are the recovery's (`CandidateCatchUpTimeoutSeconds`,
 * `ReplicaRepointVerifySeconds`), so a manual move waits as long as a failover's would;
 * `PostTakeMasterProcesses` run after a take-master in the recovery's shell.
 *
 * @example
 * const refactor = createRefactorPort({ topology, topologyConfig: topology.config, recovery: config.recovery, clock, logger, nodeName: 'orc1' });
 * await refactor.relocate(replicaKey, siblingKey);
 */
export function createRefactorPort(p: RefactorPortParts): RefactorPort {
  return new RefactorOps({
    connector: new Mysql2Connector({
      user: p.topologyConfig.mysqlTopologyUser,
      password: p.topologyConfig.mysqlTopologyPassword,
      connectTimeoutMs: p.topologyConfig.mysqlConnectTimeoutSeconds * 1000,
      statementTimeoutMs: p.recovery.recoveryStatementTimeoutSeconds * 1000,
      clock: p.clock,
    }),
    clock: p.clock,
    topology: p.topology,
    logger: p.logger,
    catchUpTimeoutSeconds: p.recovery.candidateCatchUpTimeoutSeconds,
    verifySeconds: p.recovery.replicaRepointVerifySeconds,
    hooks: {
      config: p.recovery,
      nodeName: p.nodeName,
      runner: new ShellHookRunner({
        shell: p.recovery.processesShellCommand,
        timeoutMs: p.recovery.hookTimeoutSeconds * 1000,
        clock: p.clock,
        logger: p.logger,
      }),
    },
  });
}
