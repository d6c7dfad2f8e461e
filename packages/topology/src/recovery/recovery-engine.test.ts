import { describe, expect, it } from '@jest/globals';
import { ManualClock } from '@orc/testkit';
import type { Instance } from '../instance/instance.js';
import { unseenInstance } from '../instance/instance.js';
import { instanceKey } from '../instance/instance-key.js';
import type { DeadMasterRequest } from './dead-master-request.js';
import { InMemoryRecoveryStore } from './memory-recovery-store.js';
import type { RecoveryConfigInput } from './recovery-config.js';
import { validateRecoveryConfig } from './recovery-config.js';
import { RecoveryEngine } from './recovery-engine.js';
import type { HookContext, HookRunner, ServerConnector } from './recovery-ports.js';

const failed = instanceKey('db1', 3306);
const replica = instanceKey('db2', 3306);
const request = (over: Partial<DeadMasterRequest> = {}): DeadMasterRequest => ({
  analysis: 'DeadMaster',
  failedKey: failed,
  clusterName: 'db1:3306',
  clusterAlias: 'shop',
  instances: [unseenInstance(failed), { ...unseenInstance(replica), masterKey: failed } as Instance],
  ...over,
});

/** Every server unreachable: a recovery that gets past the guards fails with "no replica answers". */
function world(config: RecoveryConfigInput = {}, hooks?: HookRunner) {
  const clock = new ManualClock();
  const store = new InMemoryRecoveryStore(clock);
  const opened: string[] = [];
  const connector: ServerConnector = {
    open: async (key) => {
      opened.push(key);
      throw new Error('connection refused');
    },
  };
  const engine = new RecoveryEngine({
    config: validateRecoveryConfig({ recoverMasterClusterFilters: ['alias=shop'], ...config }),
    store,
    connector,
    clock,
    ...(hooks === undefined ? {} : { hooks }),
  });
  return { clock, store, opened, engine };
}

describe('RecoveryEngine guards', () => {
  it('acts on a cluster its filters name, and records a recovery that found no server as failed', async () => {
    const w = world();
    const report = await w.engine.recoverDeadMaster(request());
    expect(report.status).toBe('failed');
    expect(report.reason).toBe('no replica answers');
    expect(w.opened).toEqual([replica]);
    expect(w.store.recoveries.get(report.uid!)?.resolution?.status).toBe('failed');
  });

  it.each([
    [
      'not in RecoverMasterClusterFilters',
      { recoverMasterClusterFilters: ['alias=other'] },
      {},
      'does not match RecoverMasterClusterFilters',
    ],
    ['downtimed', {}, { isDowntimed: true }, 'is downtimed'],
  ] as const)('skips a cluster %s, touching nothing', async (_name, config, over, reason) => {
    const w = world(config);
    const report = await w.engine.recoverDeadMaster(request(over));
    expect(report.status).toBe('skipped');
    expect(report.reason).toContain(reason);
    expect(w.opened).toEqual([]);
    expect(w.store.recoveries.size).toBe(0);
  });

  it('honours the global and per-cluster switches; a forced (manual) recovery passes every guard', async () => {
    const w = world({ recoverMasterClusterFilters: [] });
    w.store.isGlobalDisabled = true;
    expect((await w.engine.recoverDeadMaster(request())).reason).toBe('recoveries are disabled globally');
    w.store.isGlobalDisabled = false;
    w.store.disabledClusters.add('db1:3306');
    expect((await w.engine.recoverDeadMaster(request())).reason).toBe('recoveries of db1:3306 are disabled');
    expect(w.opened).toEqual([]);
    const forced = await w.engine.recoverDeadMaster(request({ force: true, isDowntimed: true }));
    expect(forced.status).toBe('failed');
    expect(w.opened).toEqual([replica]);
  });

  it('refuses a second recovery of the cluster inside RecoveryPeriodBlockSeconds until acknowledged, and after the period', async () => {
    const w = world({ recoveryPeriodBlockSeconds: 600 });
    const first = await w.engine.recoverDeadMaster(request());
    const second = await w.engine.recoverDeadMaster(request());
    expect(second.status).toBe('refused');
    expect(second.reason).toContain(first.uid!);
    expect(w.store.blocked).toHaveLength(1);
    w.clock.advance(601_000);
    expect((await w.engine.recoverDeadMaster(request())).status).toBe('failed');
    expect((await w.engine.recoverDeadMaster(request())).status).toBe('refused');
    await w.store.acknowledge({ clusterName: 'db1:3306' }, { owner: 'ops', comment: 'checked' });
    expect((await w.engine.recoverDeadMaster(request())).status).toBe('failed');
  });

  it('records DeadMasterWithoutReplicas and takes no action', async () => {
    const w = world();
    const report = await w.engine.recoverDeadMaster(
      request({ analysis: 'DeadMasterWithoutReplicas', instances: [unseenInstance(failed)] }),
    );
    expect(report.status).toBe('failed');
    expect(report.reason).toBe('no replicas: nothing to promote');
    await report.settled;
    expect(w.opened).toEqual([]);
    expect(w.store.recoveries.get(report.uid!)?.steps.map((s) => s.name)).toEqual(['registered', 'failed', 'resolved']);
  });

  it('runs OnFailureDetectionProcesses once per FailureDetectionPeriodBlockMinutes; a failing one aborts', async () => {
    const runs: string[] = [];
    let exitCode = 0;
    const hooks: HookRunner = {
      run: async (kind, commands, ctx: HookContext) => {
        runs.push(`${kind}:${ctx.failedHost}`);
        return commands.map((command) => ({
          command,
          isAsync: false,
          exitCode,
          isTimedOut: false,
          output: '',
          durationMs: 0,
        }));
      },
    };
    const w = world(
      { onFailureDetectionProcesses: ['notify'], failureDetectionPeriodBlockMinutes: 1, recoveryPeriodBlockSeconds: 0 },
      hooks,
    );
    await w.engine.recoverDeadMaster(request());
    await w.engine.recoverDeadMaster(request());
    expect(runs).toEqual(['onFailureDetectionProcesses:db1']);
    w.clock.advance(60_001);
    exitCode = 1;
    const report = await w.engine.recoverDeadMaster(request());
    expect(report.status).toBe('refused');
    expect(report.reason).toContain('OnFailureDetectionProcesses');
    expect(runs).toHaveLength(2);
  });
});
