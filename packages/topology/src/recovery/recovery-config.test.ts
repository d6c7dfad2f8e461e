import { describe, expect, it } from '@jest/globals';
import { isTopologyError } from '../errors.js';
import { DEFAULT_RECOVERY_CONFIG, validateRecoveryConfig } from './recovery-config.js';

describe('validateRecoveryConfig', () => {
  it("fills orchestrator's defaults", () => {
    const c = validateRecoveryConfig({});
    expect(c).toEqual(DEFAULT_RECOVERY_CONFIG);
    expect(c.recoveryPeriodBlockSeconds).toBe(3600);
    expect(c.applyMySQLPromotionAfterMasterFailover).toBe(true);
    expect(c.detachLostReplicasAfterMasterFailover).toBe(true);
    expect(c.processesShellCommand).toBe('bash');
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('keeps given values', () => {
    const c = validateRecoveryConfig({
      recoverMasterClusterFilters: ['alias=shop', '*'],
      recoveryPeriodBlockSeconds: 5,
    });
    expect(c.recoverMasterClusterFilters).toEqual(['alias=shop', '*']);
    expect(c.recoveryPeriodBlockSeconds).toBe(5);
  });

  it('reports every problem at once, with its path, including contradicting fields', () => {
    let caught: unknown;
    try {
      validateRecoveryConfig({
        recoveryPeriodBlockSeconds: -1,
        promotionIgnoreHostnameFilters: ['ok', '(unclosed'],
        preFailoverProcesses: ['echo', 3],
        hookTimeoutSeconds: 0,
        delayMasterPromotionIfSQLThreadNotUpToDate: true,
        failMasterPromotionIfSQLThreadNotUpToDate: true,
        RecoveryPeriodBlockSeconds: 3,
      });
    } catch (error) {
      caught = error;
    }
    expect(isTopologyError(caught, 'INVALID_CONFIG')).toBe(true);
    if (!isTopologyError(caught)) return;
    expect(caught.retryable).toBe(false);
    expect(caught.details.map((d) => d.path).sort()).toEqual(
      [
        'RecoveryPeriodBlockSeconds',
        'failMasterPromotionIfSQLThreadNotUpToDate',
        'hookTimeoutSeconds',
        'preFailoverProcesses.1',
        'promotionIgnoreHostnameFilters.1',
        'recoveryPeriodBlockSeconds',
      ].sort(),
    );
  });

  it('refuses a non-object', () => {
    expect(() => validateRecoveryConfig([])).toThrow(/must be an object/);
  });
});
