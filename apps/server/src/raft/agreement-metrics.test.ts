import { describe, expect, it } from '@jest/globals';
import { Registry } from 'prom-client';
import { AGREEMENT_REFUSED_METRIC, countAgreementRefusals } from './agreement-metrics.js';
import type { AgreementDecision } from './failover-agreement.js';

const decision = (analysis: string, isAgreed: boolean): AgreementDecision => ({
  key: 'db1:3306',
  analysis,
  isAgreed,
  needed: 2,
  votes: [],
  decidedAt: 0,
});

describe('countAgreementRefusals', () => {
  it('counts refused decisions by family and leaves agreed ones out', async () => {
    const registry = new Registry();
    const onDecision = countAgreementRefusals(registry);
    onDecision(decision('DeadMaster', false));
    onDecision(decision('DeadMasterAndSomeReplicas', false));
    onDecision(decision('DeadMaster', true));
    onDecision(decision('DeadIntermediateMaster', false));
    const text = await registry.metrics();
    expect(text).toContain(`${AGREEMENT_REFUSED_METRIC}{family="DeadMaster"} 2`);
    expect(text).toContain(`${AGREEMENT_REFUSED_METRIC}{family="DeadIntermediateMaster"} 1`);
    expect(text).not.toContain('family="DeadCoMaster"');
  });
});
