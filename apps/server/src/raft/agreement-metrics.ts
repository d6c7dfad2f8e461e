// The failover gate's refusals as a Prometheus counter. The gate logs a refusal once per wait (a
// log line every second would drown the log), so an operator, or a test, that wants to know the
// leader is still holding a failover back needs a figure that moves with every recovery check.
import { Counter, type Registry } from 'prom-client';
import { agreementFamily, type AgreementDecision } from './failover-agreement.js';

/** The counter's name on /metrics. */
export const AGREEMENT_REFUSED_METRIC = 'orc_failover_agreement_refused_total';

/**
 * Registers `orc_failover_agreement_refused_total{family}` in `registry` and returns the gate's
 * `onDecision` hook that counts each refused decision by analysis family (DeadMaster,
 * DeadIntermediateMaster, DeadCoMaster).
 *
 * @example
 * const onDecision = countAgreementRefusals(metrics.registry);
 * const agreement = new FailoverAgreement({ self, voters, windowMs, clock, logger, onDecision });
 */
export function countAgreementRefusals(registry: Registry): (decision: AgreementDecision) => void {
  const refused = new Counter({
    name: AGREEMENT_REFUSED_METRIC,
    help: 'Recovery checks in which the leader saw a server dead but too few nodes agreed, by analysis family',
    labelNames: ['family'],
    registers: [registry],
  });
  return (decision) => {
    if (!decision.isAgreed) refused.inc({ family: agreementFamily(decision.analysis) ?? decision.analysis });
  };
}
