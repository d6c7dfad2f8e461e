// orchestrator's PostTakeMasterProcesses: after a verified take-master, the hooks learn which
// server took its source's place (`{successorHost}`) and which one was demoted below it
// (`{failedHost}`), with `{command}` = take-master. A failing hook is logged; the move stands.
import type { Instance } from '../instance/instance.js';
import type { InstanceKey } from '../instance/instance-key.js';
import { splitInstanceKey } from '../instance/instance-key.js';
import type { Logger } from '../logger.js';
import { hookContext } from '../recovery/hook-context.js';
import type { RecoveryConfig } from '../recovery/recovery-config.js';
import type { HookRunner } from '../recovery/recovery-ports.js';

/**
 * Where the refactoring operations' hooks come from: the recovery's runner and config.
 *
 * @example
 * const hooks: RefactorHooks = { runner: new ShellHookRunner({ shell: 'bash', timeoutMs: 30_000, clock }), config };
 */
export interface RefactorHooks {
  readonly runner: HookRunner;
  /** Read for `postTakeMasterProcesses` and the filters of the placeholders. */
  readonly config: RecoveryConfig;
  /** `{orchestratorHost}`. */
  readonly nodeName?: string;
}

/**
 * Runs `PostTakeMasterProcesses` for `successor`, which took the place of `demoted`.
 *
 * @example
 * await runPostTakeMaster(hooks, logger, { successor: 'db3:3306', demoted: instanceOfDb2, uid: 'take-master-1' });
 */
export async function runPostTakeMaster(
  hooks: RefactorHooks,
  logger: Logger,
  o: { successor: InstanceKey; demoted: Instance; uid: string },
): Promise<void> {
  const commands = hooks.config.postTakeMasterProcesses;
  if (commands.length === 0) return;
  const base = hookContext(
    {
      analysis: 'TakeMaster',
      failedKey: o.demoted.key,
      clusterName: o.demoted.clusterName,
      clusterAlias: o.demoted.suggestedClusterAlias,
      clusterDomain: o.demoted.clusterDomain,
      instances: [o.demoted],
      command: 'take-master',
    },
    { uid: o.uid, nodeName: hooks.nodeName ?? 'orc', replicaKeys: [o.successor], config: hooks.config },
  );
  const { host, port } = splitInstanceKey(o.successor);
  const ctx = {
    ...base,
    instanceType: 'intermediate-master',
    isMaster: false,
    failureDescription: `${o.successor} took the place of ${o.demoted.key}`,
    isSuccessful: true,
    successorHost: host,
    successorPort: port,
  };
  const results = await hooks.runner.run('postTakeMasterProcesses', commands, ctx).catch((error: unknown) => {
    logger.warn('PostTakeMasterProcesses could not run', { error: String(error) });
    return [];
  });
  for (const r of results) {
    const fields = { command: r.command, exitCode: r.exitCode, isTimedOut: r.isTimedOut, output: r.output.trim() };
    if (r.isAsync || r.exitCode === 0) logger.info('PostTakeMasterProcesses hook ran', fields);
    else logger.warn('PostTakeMasterProcesses hook failed', fields);
  }
}
