import { describe, expect, it } from '@jest/globals';
import { DEFAULT_RECOVERY_CONFIG, validateRecoveryConfig } from '@orc/topology';
import { buildRecoveryConfig, recoveryKeys } from './recovery.js';

const io = { readFile: (): string => '' };
const defaults = Object.fromEntries(recoveryKeys.filter((k) => k.default !== undefined).map((k) => [k.key, k.default]));

describe('recovery keys', () => {
  it("every row's default passes its own check, and the defaults build @orc/topology's defaults", () => {
    for (const spec of recoveryKeys) if (spec.default !== undefined) expect(spec.check(spec.default)).toBeUndefined();
    expect(validateRecoveryConfig(buildRecoveryConfig(defaults, io))).toEqual(DEFAULT_RECOVERY_CONFIG);
  });

  it('maps orchestrator names to fields and honours the legacy minutes only when seconds is 0', () => {
    const config = validateRecoveryConfig(
      buildRecoveryConfig(
        {
          ...defaults,
          RecoverMasterClusterFilters: ['*'],
          PreFailoverProcesses: ['echo {failedHost}'],
          RecoveryPeriodBlockMinutes: 2,
        },
        io,
      ),
    );
    expect(config.recoverMasterClusterFilters).toEqual(['*']);
    expect(config.preFailoverProcesses).toEqual(['echo {failedHost}']);
    expect(config.recoveryPeriodBlockSeconds).toBe(3600);
    const legacy = buildRecoveryConfig(
      { ...defaults, RecoveryPeriodBlockSeconds: 0, RecoveryPeriodBlockMinutes: 2 },
      io,
    );
    expect(legacy.recoveryPeriodBlockSeconds).toBe(120);
  });

  it('names each key once, owned by recovery', () => {
    const names = recoveryKeys.map((k) => k.key);
    expect(new Set(names).size).toBe(names.length);
    expect(recoveryKeys.every((k) => k.owner === 'recovery')).toBe(true);
  });
});
