import { describe, expect, it } from '@jest/globals';
import { ManualClock } from '@orc/testkit';
import { agreementFamily, describeDecision, FailoverAgreement } from './failover-agreement.js';

const logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const voters = ['orc1:10008', 'orc2:10008', 'orc3:10008'];
const dead = { key: 'db1:3306', analysis: 'DeadMaster' };

function gate(members: readonly string[] = voters): { clock: ManualClock; agreement: FailoverAgreement } {
  const clock = new ManualClock();
  const agreement = new FailoverAgreement({
    self: 'orc1:10008',
    voters: () => members,
    windowMs: 10_000,
    clock,
    logger,
  });
  return { clock, agreement };
}

describe('FailoverAgreement', () => {
  it('admits a dead primary once a majority of the voters (the leader included) report it', () => {
    const { agreement } = gate();
    expect(agreement.admit(dead)).toBe(false);
    agreement.report({ node: 'orc2:10008', entries: [{ key: 'db1:3306', analysis: 'DeadMasterAndSomeReplicas' }] });
    expect(agreement.admit(dead)).toBe(true);
    const decision = agreement.decisionFor('db1:3306')!;
    expect(decision).toMatchObject({ isAgreed: true, needed: 2 });
    expect(decision.votes.map((v) => [v.node, v.analysis])).toEqual([
      ['orc1:10008', 'DeadMaster'],
      ['orc2:10008', 'DeadMasterAndSomeReplicas'],
      ['orc3:10008', null],
    ]);
    expect(describeDecision(decision)).toMatch(
      /^agreed 2\/3 needed 2: orc1:10008=DeadMaster\(0ms ago\) .* orc3:10008=no report$/,
    );
  });

  it('never admits what the leader alone sees, however often it asks', () => {
    const { clock, agreement } = gate();
    for (let i = 0; i < 30; i++) {
      expect(agreement.admit(dead)).toBe(false);
      clock.advance(1000);
    }
    expect(describeDecision(agreement.decisionFor('db1:3306')!)).toMatch(/^not agreed 1\/3 needed 2/);
  });

  it("counts one follower's report with the leader's own analysis", () => {
    const { agreement } = gate();
    agreement.report({ node: 'orc3:10008', entries: [dead] });
    expect(agreement.decisionFor('db1:3306')).toBeUndefined();
    expect(agreement.admit(dead)).toBe(true);
  });

  it('lets a report expire after the window', () => {
    const { clock, agreement } = gate();
    agreement.report({ node: 'orc2:10008', entries: [dead] });
    clock.advance(10_001);
    expect(agreement.admit(dead)).toBe(false);
    agreement.report({ node: 'orc2:10008', entries: [dead] });
    clock.advance(9_999);
    expect(agreement.admit(dead)).toBe(true);
  });

  it('drops a vote the node retracts, and does not mix families or servers', () => {
    const { agreement } = gate();
    agreement.report({ node: 'orc2:10008', entries: [dead] });
    agreement.report({ node: 'orc2:10008', entries: [] });
    expect(agreement.admit(dead)).toBe(false);
    agreement.report({ node: 'orc2:10008', entries: [{ key: 'db1:3306', analysis: 'DeadIntermediateMaster' }] });
    agreement.report({ node: 'orc3:10008', entries: [{ key: 'db9:3306', analysis: 'DeadMaster' }] });
    expect(agreement.admit(dead)).toBe(false);
  });

  it('ignores reports of nodes that are not voters', () => {
    const { agreement } = gate();
    agreement.report({ node: 'intruder:10008', entries: [dead] });
    expect(agreement.admit(dead)).toBe(false);
  });

  it('wakes its listeners when a report completes a majority the leader waits for, once', () => {
    const { agreement } = gate();
    let woken = 0;
    agreement.onAgreement(() => woken++);
    agreement.report({ node: 'orc2:10008', entries: [dead] });
    expect(woken).toBe(0); // nobody waits for it yet
    expect(agreement.admit({ key: 'db2:3306', analysis: 'DeadCoMaster' })).toBe(false);
    agreement.report({ node: 'orc3:10008', entries: [{ key: 'db2:3306', analysis: 'DeadCoMasterAndSomeReplicas' }] });
    expect(woken).toBe(1);
    expect(agreement.admit({ key: 'db2:3306', analysis: 'DeadCoMaster' })).toBe(true);
    agreement.report({ node: 'orc3:10008', entries: [{ key: 'db2:3306', analysis: 'DeadCoMaster' }] });
    expect(woken).toBe(1);
  });

  it('wakes the loop when the reports alone reach a majority, before the leader has looked', () => {
    const { agreement } = gate();
    let woken = 0;
    agreement.onAgreement(() => woken++);
    agreement.report({ node: 'orc1:10008', entries: [dead] });
    expect(woken).toBe(0);
    agreement.report({ node: 'orc3:10008', entries: [dead] });
    expect(woken).toBe(1);
    agreement.report({ node: 'orc3:10008', entries: [dead] });
    expect(woken).toBe(1);
    expect(agreement.admit(dead)).toBe(true);
    // A new episode (retracted, then reported again) wakes again.
    agreement.report({ node: 'orc3:10008', entries: [] });
    agreement.report({ node: 'orc1:10008', entries: [] });
    agreement.report({ node: 'orc1:10008', entries: [dead] });
    agreement.report({ node: 'orc3:10008', entries: [dead] });
    expect(woken).toBe(2);
  });

  it('hands every decision to onDecision, each refused check included', () => {
    const clock = new ManualClock();
    const seen: string[] = [];
    const agreement = new FailoverAgreement({
      self: 'orc1:10008',
      voters: () => voters,
      windowMs: 10_000,
      clock,
      logger,
      onDecision: (d) => seen.push(`${d.key} ${d.analysis} ${d.isAgreed ? 'agreed' : 'refused'}`),
    });
    agreement.admit(dead);
    clock.advance(1000);
    agreement.admit(dead);
    agreement.admit({ key: 'db3:3306', analysis: 'UnreachableMaster' });
    agreement.report({ node: 'orc2:10008', entries: [dead] });
    agreement.admit(dead);
    expect(seen).toEqual(['db1:3306 DeadMaster refused', 'db1:3306 DeadMaster refused', 'db1:3306 DeadMaster agreed']);
  });

  it('needs 3 of 5, and admits codes that need no agreement at once', () => {
    const { agreement } = gate(['orc1:10008', 'orc2:10008', 'orc3:10008', 'orc4:10008', 'orc5:10008']);
    agreement.report({ node: 'orc2:10008', entries: [dead] });
    expect(agreement.admit(dead)).toBe(false);
    agreement.report({ node: 'orc5:10008', entries: [dead] });
    expect(agreement.admit(dead)).toBe(true);
    expect(agreement.admit({ key: 'db3:3306', analysis: 'UnreachableMasterWithLaggingReplicas' })).toBe(true);
  });
});

describe('agreementFamily', () => {
  it('groups the dead-server codes and leaves the others out', () => {
    expect(agreementFamily('DeadMasterWithoutReplicas')).toBe('DeadMaster');
    expect(agreementFamily('DeadIntermediateMasterAndSomeReplicas')).toBe('DeadIntermediateMaster');
    expect(agreementFamily('DeadCoMaster')).toBe('DeadCoMaster');
    expect(agreementFamily('UnreachableMaster')).toBeUndefined();
  });
});
