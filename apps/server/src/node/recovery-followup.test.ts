import { describe, expect, it } from '@jest/globals';
import { instanceKey, type RecoveryReport } from '@orc/topology';
import { reprobeParticipants } from './recovery-followup.js';

const report = (over: Partial<RecoveryReport>): RecoveryReport =>
  ({ successor: null, repointed: [], ...over }) as RecoveryReport;

describe('reprobeParticipants', () => {
  it('probes the new primary and every repointed replica', () => {
    const probed: string[] = [];
    reprobeParticipants(
      { discover: async (k) => probed.push(k) },
      report({ successor: instanceKey('db2', 3306), repointed: [instanceKey('db3', 3306)] }),
      { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
    );
    expect(probed).toEqual([]);
    return Promise.resolve().then(() => expect(probed.sort()).toEqual(['db2:3306', 'db3:3306']));
  });

  it('logs a probe that fails, also one that throws at once (discovery stopped)', async () => {
    const warnings: unknown[] = [];
    const logged = new Promise<void>((resolve) => {
      reprobeParticipants(
        {
          discover: (k) => {
            if (k === 'db2:3306') throw new Error('stopped');
            return Promise.reject(new Error('refused'));
          },
        },
        report({ successor: instanceKey('db2', 3306), repointed: [instanceKey('db3', 3306)] }),
        {
          debug: () => undefined,
          info: () => undefined,
          warn: (msg, fields) => {
            warnings.push({ msg, ...fields });
            if (warnings.length === 2) resolve();
          },
          error: () => undefined,
        },
      );
    });
    await logged;
    expect(warnings).toEqual(
      expect.arrayContaining([
        { msg: 'probe after recovery failed', key: 'db2:3306', error: 'stopped' },
        { msg: 'probe after recovery failed', key: 'db3:3306', error: 'refused' },
      ]),
    );
  });

  it('probes nothing after a recovery that promoted no one', () => {
    const probed: string[] = [];
    reprobeParticipants({ discover: async (k) => probed.push(k) }, report({}), {
      debug: () => undefined,
      info: () => undefined,
      warn: () => undefined,
      error: () => undefined,
    });
    return Promise.resolve().then(() => expect(probed).toEqual([]));
  });
});
