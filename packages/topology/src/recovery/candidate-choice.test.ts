import { describe, expect, it } from '@jest/globals';
import type { InstanceKey } from '../instance/instance-key.js';
import { instanceKey } from '../instance/instance-key.js';
import type { CandidateChoiceInput, CandidateReplica, CandidateRules } from './candidate-choice.js';
import { chooseCandidate } from './candidate-choice.js';

const key = (name: string): InstanceKey => instanceKey(name, 3306);
const replica = (name: string, over: Partial<CandidateReplica> = {}): CandidateReplica => ({
  key: key(name),
  isReachable: true,
  majorVersion: '10.11',
  binlogFormat: 'ROW',
  hasLogBin: true,
  hasLogReplicaUpdates: true,
  promotionRule: 'neutral',
  dataCenter: 'dc1',
  region: 'eu',
  executedPosition: '0-1-100',
  isSqlThreadUpToDate: true,
  lagSeconds: 0,
  errantGtid: '',
  ...over,
});
const rules: CandidateRules = {
  promotionIgnoreHostnameFilters: [],
  preventCrossDataCenterMasterFailover: false,
  preventCrossRegionMasterFailover: false,
  failMasterPromotionOnLagMinutes: 0,
  failMasterPromotionIfSQLThreadNotUpToDate: false,
};
const choose = (
  replicas: CandidateReplica[],
  over: Partial<CandidateChoiceInput> = {},
  ruleOver: Partial<CandidateRules> = {},
) =>
  chooseCandidate({
    flavor: 'mariadb',
    failedPrimary: { key: key('p'), dataCenter: 'dc1', region: 'eu' },
    replicas,
    rules: { ...rules, ...ruleOver },
    ...over,
  });
const reasonsOf = (choice: ReturnType<typeof choose>, name: string): string =>
  choice.verdicts.find((v) => v.key === key(name))?.reasons.join(' | ') ?? '<absent>';

interface Case {
  readonly name: string;
  readonly replicas: CandidateReplica[];
  readonly ruleOver?: Partial<CandidateRules>;
  readonly over?: Partial<CandidateChoiceInput>;
  readonly flavor?: 'mysql';
  readonly candidate: string | null;
  readonly mostAdvanced?: string | null;
  readonly needsCatchUp?: boolean;
  /** name -> a fragment its reasons must contain */
  readonly reasons?: Readonly<Record<string, string>>;
  readonly failure?: string;
}

const cases: Case[] = [
  {
    name: 'the most advanced among equals',
    replicas: [replica('r1', { executedPosition: '0-1-99' }), replica('r2')],
    candidate: 'r2',
    mostAdvanced: 'r2',
    needsCatchUp: false,
    reasons: { r1: 'outranked by r2:3306' },
  },
  {
    name: 'the most advanced is must_not: another is promoted after catching up from it',
    replicas: [
      replica('r1', { executedPosition: '0-1-90' }),
      replica('r2', { promotionRule: 'must_not' }),
      replica('r3', { executedPosition: '0-1-95' }),
    ],
    candidate: 'r3',
    mostAdvanced: 'r2',
    needsCatchUp: true,
    reasons: { r2: 'promotion rule is must_not', r3: 'lacks 0:95<100 of r2:3306: caught up from it first' },
  },
  {
    name: 'prefer wins among equals',
    replicas: [replica('r1'), replica('r2', { promotionRule: 'prefer' }), replica('r3')],
    candidate: 'r2',
    needsCatchUp: false,
  },
  {
    name: 'prefer wins over a more advanced neutral, which it catches up from',
    replicas: [replica('r1', { promotionRule: 'prefer', executedPosition: '0-1-98' }), replica('r2')],
    candidate: 'r1',
    mostAdvanced: 'r2',
    needsCatchUp: true,
  },
  {
    name: 'prefer_not loses to neutral',
    replicas: [replica('r1', { promotionRule: 'prefer_not' }), replica('r2', { executedPosition: '0-1-97' })],
    candidate: 'r2',
    needsCatchUp: true,
  },
  {
    name: 'an errant-GTID replica is never promoted over a clean one, even when more advanced',
    replicas: [
      replica('r1', { errantGtid: '0-7-3', promotionRule: 'prefer' }),
      replica('r2', { executedPosition: '0-1-90' }),
    ],
    candidate: 'r2',
    mostAdvanced: 'r1',
    needsCatchUp: true,
    reasons: { r1: 'has errant GTIDs 0-7-3; a clean replica is preferred' },
  },
  {
    name: 'errant replicas only: the best of them',
    replicas: [replica('r1', { errantGtid: '0-7-3' })],
    candidate: 'r1',
  },
  {
    name: 'log_bin and log_slave_updates are required',
    replicas: [
      replica('r1', { hasLogBin: false, executedPosition: '0-1-1' }),
      replica('r2', { hasLogReplicaUpdates: false, executedPosition: '0-1-1' }),
      replica('r3'),
    ],
    candidate: 'r3',
    reasons: { r1: 'log_bin is off', r2: 'log_slave_updates is off' },
  },
  {
    name: 'PromotionIgnoreHostnameFilters',
    replicas: [replica('backup1'), replica('r2', { executedPosition: '0-1-50' })],
    ruleOver: { promotionIgnoreHostnameFilters: ['^backup'] },
    candidate: 'r2',
    needsCatchUp: true,
    reasons: { backup1: 'PromotionIgnoreHostnameFilters "^backup"' },
  },
  {
    name: 'same data center first, then region',
    replicas: [
      replica('r1', { dataCenter: 'dc2' }),
      replica('r2', { dataCenter: 'dc3', region: 'us' }),
      replica('r3', { dataCenter: 'dc1', executedPosition: '0-1-99' }),
    ],
    candidate: 'r3',
  },
  {
    name: 'same region when no replica shares the data center',
    replicas: [
      replica('r1', { dataCenter: 'dc2', region: 'us' }),
      replica('r2', { dataCenter: 'dc3', executedPosition: '0-1-1' }),
    ],
    candidate: 'r2',
  },
  {
    name: 'PreventCrossDataCenterMasterFailover with no replica in the data center',
    replicas: [replica('r1', { dataCenter: 'dc2' })],
    ruleOver: { preventCrossDataCenterMasterFailover: true },
    candidate: null,
    failure: 'no replica can be promoted',
    reasons: { r1: 'PreventCrossDataCenterMasterFailover' },
  },
  {
    name: 'PreventCrossRegionMasterFailover',
    replicas: [replica('r1', { region: 'us' }), replica('r2', { dataCenter: 'dc9', executedPosition: '0-1-3' })],
    ruleOver: { preventCrossRegionMasterFailover: true },
    candidate: 'r2',
    reasons: { r1: 'PreventCrossRegionMasterFailover' },
  },
  {
    name: 'no newer major version than a replica it must serve',
    replicas: [replica('r1', { majorVersion: '11.4' }), replica('r2', { executedPosition: '0-1-99' })],
    candidate: 'r2',
    reasons: { r1: "version 11.4 is newer than replica r2:3306's 10.11" },
  },
  {
    name: 'no wider binlog format than a replica it must serve',
    replicas: [replica('r1'), replica('r2', { binlogFormat: 'MIXED', executedPosition: '0-1-99' })],
    candidate: 'r2',
    reasons: { r1: "binlog_format ROW is wider than replica r2:3306's MIXED" },
  },
  {
    name: 'FailMasterPromotionOnLagMinutes',
    replicas: [replica('r1', { lagSeconds: 700 }), replica('r2', { executedPosition: '0-1-9' })],
    ruleOver: { failMasterPromotionOnLagMinutes: 10 },
    candidate: 'r2',
    reasons: { r1: 'lags 700 s' },
  },
  {
    name: 'FailMasterPromotionIfSQLThreadNotUpToDate',
    replicas: [replica('r1', { isSqlThreadUpToDate: false })],
    ruleOver: { failMasterPromotionIfSQLThreadNotUpToDate: true },
    candidate: null,
    reasons: { r1: 'FailMasterPromotionIfSQLThreadNotUpToDate' },
  },
  {
    name: 'unreachable replicas are not candidates and do not count for positions',
    replicas: [replica('r1', { isReachable: false, executedPosition: '0-1-500' }), replica('r2')],
    candidate: 'r2',
    mostAdvanced: 'r2',
    needsCatchUp: false,
    reasons: { r1: 'unreachable' },
  },
  {
    name: 'no reachable replica',
    replicas: [replica('r1', { isReachable: false })],
    candidate: null,
    failure: 'no reachable replica',
  },
  {
    name: 'diverging domains: no single replica holds everything',
    replicas: [replica('r1', { executedPosition: '0-1-10,1-1-5' }), replica('r2', { executedPosition: '0-1-9,1-1-6' })],
    candidate: null,
    failure: 'positions diverge',
  },
  {
    name: 'MariaDB domains compared one by one',
    replicas: [replica('r1', { executedPosition: '0-1-10,1-2-5' }), replica('r2', { executedPosition: '0-1-10' })],
    candidate: 'r1',
    mostAdvanced: 'r1',
  },
  {
    name: 'the most advanced cannot serve a catch-up',
    replicas: [replica('r1', { hasLogReplicaUpdates: false }), replica('r2', { executedPosition: '0-1-90' })],
    candidate: null,
    failure: 'cannot serve a catch-up',
  },
  {
    name: 'MySQL: sets compared by containment',
    flavor: 'mysql',
    replicas: [
      replica('r1', { executedPosition: 'aaaaaaaa-0000-0000-0000-000000000001:1-100', majorVersion: '8.0' }),
      replica('r2', {
        executedPosition: 'aaaaaaaa-0000-0000-0000-000000000001:1-90',
        majorVersion: '8.0',
        promotionRule: 'prefer',
      }),
    ],
    candidate: 'r2',
    mostAdvanced: 'r1',
    needsCatchUp: true,
    reasons: { r2: 'aaaaaaaa-0000-0000-0000-000000000001:91-100' },
  },
  {
    name: 'a requested candidate is taken when eligible',
    replicas: [replica('r1'), replica('r2', { executedPosition: '0-1-90' })],
    over: { requestedCandidate: key('r2') },
    candidate: 'r2',
    needsCatchUp: true,
  },
  {
    name: 'a requested must_not candidate is refused with the reason',
    replicas: [replica('r1'), replica('r2', { promotionRule: 'must_not' })],
    over: { requestedCandidate: key('r2') },
    candidate: null,
    failure: 'requested candidate r2:3306 cannot be promoted: promotion rule is must_not',
  },
];

describe('chooseCandidate', () => {
  it.each(cases)('$name', (c) => {
    const choice = choose(
      c.replicas,
      { ...(c.flavor === undefined ? {} : { flavor: c.flavor }), ...c.over },
      c.ruleOver,
    );
    expect(choice.candidate).toBe(c.candidate === null ? null : key(c.candidate));
    if (c.mostAdvanced !== undefined)
      expect(choice.mostAdvanced).toBe(c.mostAdvanced === null ? null : key(c.mostAdvanced));
    if (c.needsCatchUp !== undefined) expect(choice.needsCatchUp).toBe(c.needsCatchUp);
    if (c.failure !== undefined) expect(choice.failure).toContain(c.failure);
    if (c.candidate === null) expect(choice.failure).not.toBe('');
    for (const [name, fragment] of Object.entries(c.reasons ?? {})) expect(reasonsOf(choice, name)).toContain(fragment);
    // Every replica gets a verdict, the candidate first.
    expect(choice.verdicts).toHaveLength(c.replicas.length);
    if (choice.candidate !== null) expect(choice.verdicts[0]?.key).toBe(choice.candidate);
  });
});
