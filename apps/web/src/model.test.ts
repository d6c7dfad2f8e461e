import { describe, expect, it } from '@jest/globals';
import {
  buildForest,
  gtidText,
  keyText,
  kvStateText,
  lagText,
  recoveryOutcome,
  severityOf,
  type InstanceJson,
  type TreeNode,
} from './model.js';

const inst = (port: number, master: number | null): InstanceJson =>
  ({
    Key: { Hostname: 'db', Port: port },
    MasterKey: master === null ? { Hostname: '', Port: 0 } : { Hostname: 'db', Port: master },
  }) as InstanceJson;

const shape = (nodes: readonly TreeNode[]): unknown => nodes.map((n) => [keyText(n.instance.Key), shape(n.children)]);

describe('buildForest', () => {
  it('puts the primary first and its replicas, sorted, below it', () => {
    expect(shape(buildForest([inst(3, 1), inst(2, 1), inst(1, null), inst(4, 2)]))).toEqual([
      [
        'db:1',
        [
          ['db:2', [['db:4', []]]],
          ['db:3', []],
        ],
      ],
    ]);
  });

  it('keeps orphans whose primary is unknown as their own roots', () => {
    expect(shape(buildForest([inst(2, 9), inst(3, 2)]))).toEqual([['db:2', [['db:3', []]]]]);
  });

  it('shows each member of a replication loop once', () => {
    const forest = buildForest([inst(1, 2), inst(2, 1)]);
    expect(shape(forest)).toEqual([['db:1', [['db:2', []]]]]);
  });
});

describe('labels', () => {
  it('grades analysis codes', () => {
    expect(severityOf('DeadMaster')).toBe('critical');
    expect(severityOf('UnreachableMaster')).toBe('critical');
    expect(severityOf('NoFailoverSupportStructureWarning')).toBe('info');
    expect(severityOf('LockedSemiSyncMaster')).toBe('warning');
  });

  it('writes lag and GTID mode', () => {
    expect(lagText({ Int64: 0, Valid: true }, true)).toBe('0s');
    expect(lagText({ Int64: 0, Valid: false }, true)).toBe('null');
    expect(lagText(undefined, false)).toBe('-');
    const none = { Hostname: '', Port: 0 };
    const db1 = { Hostname: 'db1', Port: 3306 };
    expect(gtidText({ UsingMariaDBGTID: true, MasterKey: db1 })).toBe('MariaDB GTID');
    expect(gtidText({ FlavorName: 'MariaDB', MasterKey: none })).toBe('MariaDB GTID');
    expect(gtidText({ FlavorName: 'MariaDB', UsingMariaDBGTID: false, MasterKey: db1 })).toBe('binlog position');
    expect(gtidText({ GTIDMode: 'ON', UsingOracleGTID: false, MasterKey: db1 })).toBe('gtid_mode=ON');
    expect(gtidText({ GTIDMode: '', MasterKey: none })).toBe('no GTID');
  });

  it("reads a recovery's state from its end timestamp, not IsActive", () => {
    expect(recoveryOutcome({ RecoveryEndTimestamp: '', IsSuccessful: false })).toBe('running');
    expect(recoveryOutcome({ RecoveryEndTimestamp: '2026-12-06T17:59:53Z', IsSuccessful: true })).toBe('succeeded');
    expect(recoveryOutcome({ RecoveryEndTimestamp: '2026-12-06T17:59:53Z', IsSuccessful: false })).toBe('failed');
  });
});

describe('kvStateText', () => {
  it('says in words whether a store names the primary, another one, nothing, or could not be read', () => {
    expect(kvStateText({ InSync: true, Value: 'db1:3306', Error: null })).toBe('in sync');
    expect(kvStateText({ InSync: false, Value: 'db6:3306', Error: null })).toBe('names db6:3306');
    expect(kvStateText({ InSync: false, Value: null, Error: null })).toBe('missing');
    expect(kvStateText({ InSync: false, Value: null, Error: 'connection refused' })).toBe('error');
  });
});
