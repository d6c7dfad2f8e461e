// Hooks run in a real bash: placeholders, ORC_* variables, a trailing & in the background, the
// timeout, output captured; and a failing PreFailoverProcesses hook aborting a recovery.
import { mkdtempSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { waitFor } from '@orc/testkit';
import type { HookContext, Instance, ServerConnector } from '../src/index.js';
import {
  InMemoryRecoveryStore,
  RecoveryEngine,
  ShellHookRunner,
  hookContext,
  instanceKey,
  systemClock,
  unseenInstance,
  validateRecoveryConfig,
} from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'orc-hooks-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const failed = instanceKey('db1', 3306);
const replica = instanceKey('db2', 3306);
const request = {
  analysis: 'DeadMaster' as const,
  failedKey: failed,
  clusterName: 'db1:3306',
  clusterAlias: 'shop',
  instances: [unseenInstance(failed), { ...unseenInstance(replica), masterKey: failed } as Instance],
};
const ctx: HookContext = {
  ...hookContext(request, { uid: 'u-1', nodeName: 'orc1', replicaKeys: [replica], config: validateRecoveryConfig({}) }),
  successorHost: 'db2',
  successorPort: 3306,
  isSuccessful: true,
};

describe('ShellHookRunner', () => {
  const runner = new ShellHookRunner({ shell: 'bash', timeoutMs: 5000, clock: systemClock });

  it('fills placeholders and ORC_* variables and captures the output', async () => {
    const [r] = await runner.run(
      'postFailoverProcesses',
      [
        'echo "{failureType} {failedHost}:{failedPort} -> {successorHost}:{successorPort} {failureClusterAlias} {countReplicas} {recoveryUID}"; echo "$ORC_FAILURE_TYPE $ORC_FAILED_HOST $ORC_SUCCESSOR_HOST $ORC_IS_SUCCESSFUL" >&2',
      ],
      ctx,
    );
    expect(r).toMatchObject({ exitCode: 0, isAsync: false, isTimedOut: false });
    expect(r?.output).toContain('DeadMaster db1:3306 -> db2:3306 shop 1 u-1');
    expect(r?.output).toContain('DeadMaster db1 db2 true');
  });

  it('runs a command with a trailing & in the background', async () => {
    const file = join(dir, 'async');
    const results = await runner.run('postFailoverProcesses', [`sleep 0.2; echo {failedHost} > ${file} &`], ctx);
    expect(results[0]).toMatchObject({ isAsync: true, exitCode: null });
    await waitFor(
      'the background hook wrote its file',
      () => existsSync(file) && readFileSync(file, 'utf8').trim() === 'db1',
    );
  });

  it('kills a hook that outlives its timeout', async () => {
    const quick = new ShellHookRunner({ shell: 'bash', timeoutMs: 200, clock: systemClock });
    const [r] = await quick.run('postFailoverProcesses', ['echo started; sleep 30'], ctx);
    expect(r).toMatchObject({ isTimedOut: true, exitCode: null });
    expect(r?.output).toContain('started');
  });

  it('stops a Pre* list at the first failure; a Post* list runs every command', async () => {
    const pre = await runner.run('preFailoverProcesses', ['exit 3', 'echo never'], ctx);
    expect(pre.map((r) => r.exitCode)).toEqual([3]);
    const post = await runner.run('postFailoverProcesses', ['exit 3', 'echo still'], ctx);
    expect(post.map((r) => r.exitCode)).toEqual([3, 0]);
  });
});

describe('a failing PreFailoverProcesses hook', () => {
  it('aborts the recovery before any server is touched, audited, and PostUnsuccessfulFailoverProcesses runs', async () => {
    const marker = join(dir, 'unsuccessful');
    let opened = 0;
    const connector: ServerConnector = {
      open: async () => {
        opened++;
        throw new Error('no server may be touched after a failed Pre hook');
      },
    };
    const store = new InMemoryRecoveryStore(systemClock);
    const engine = new RecoveryEngine({
      config: validateRecoveryConfig({
        recoverMasterClusterFilters: ['*'],
        preFailoverProcesses: ['echo refusing {failedHost}; exit 7', 'echo never'],
        postUnsuccessfulFailoverProcesses: [`echo "{isSuccessful} $ORC_FAILURE_TYPE" > ${marker}`],
      }),
      store,
      connector,
      clock: systemClock,
      hooks: new ShellHookRunner({ shell: 'bash', timeoutMs: 5000, clock: systemClock }),
    });
    const report = await engine.recoverDeadMaster(request);
    await report.settled;
    expect(report.status).toBe('failed');
    expect(report.reason).toContain('PreFailoverProcesses');
    expect(opened).toBe(0);
    const steps = store.recoveries.get(report.uid!)?.steps.map((s) => `${s.name}: ${s.message}`) ?? [];
    expect(
      steps.some((s) => s.startsWith('hook: preFailoverProcesses: echo refusing db1; exit 7 -> exit 7 refusing db1')),
    ).toBe(true);
    expect(steps.some((s) => s.includes('echo never'))).toBe(false);
    expect(store.recoveries.get(report.uid!)?.resolution?.status).toBe('failed');
    expect(readFileSync(marker, 'utf8').trim()).toBe('false DeadMaster');
  });
});
