import { describe, expect, it } from '@jest/globals';
import { TopologyError, validateTopologyConfig } from '@orc/topology';
import type { ConfigIo, KeyValues } from '../key-spec.js';
import { defaultsWith, files, noFiles, refusal } from './key-test-support.js';
import { buildTopologyConfig, topologyKeys } from './topology.js';

const values = (overrides: KeyValues = {}): KeyValues => defaultsWith(topologyKeys, overrides);

describe('topology keys', () => {
  it("keeps orchestrator's names and defaults, each default passing its own check", () => {
    expect(Object.fromEntries(topologyKeys.filter((k) => k.orcOnly !== true).map((k) => [k.key, k.default]))).toEqual({
      InstancePollSeconds: 5,
      DiscoveryMaxConcurrency: 300,
      DiscoveryQueueCapacity: 100_000,
      DiscoverySeeds: [],
      DiscoveryIgnoreHostnameFilters: [],
      DiscoveryIgnoreReplicaHostnameFilters: [],
      DiscoveryIgnoreMasterHostnameFilters: [],
      MySQLTopologyUser: '',
      MySQLTopologyPassword: '',
      MySQLTopologyCredentialsConfigFile: '',
      MySQLConnectTimeoutSeconds: 2,
      MySQLDiscoveryReadTimeoutSeconds: 10,
      UnseenInstanceForgetHours: 240,
      DefaultInstancePort: 3306,
      ClusterNameToAlias: {},
      DetectClusterAliasQuery: '',
      DetectClusterDomainQuery: '',
      DetectDataCenterQuery: '',
      DetectRegionQuery: '',
      DetectPhysicalEnvironmentQuery: '',
      DetectPromotionRuleQuery: '',
      DetectInstanceAliasQuery: '',
      ReplicationLagQuery: '',
      DataCenterPattern: '',
      RegionPattern: '',
      PhysicalEnvironmentPattern: '',
      ReasonableInstanceCheckSeconds: 1,
      ReasonableReplicationLagSeconds: 10,
      ReasonableLockedSemiSyncMasterSeconds: 0,
      RecoveryIgnoreHostnameFilters: [],
      RecoverNonWriteableMaster: false,
      EnforceExactSemiSyncReplicas: false,
    });
    expect(topologyKeys.filter((k) => k.orcOnly === true).map((k) => k.key)).toEqual([
      'EmergentPollMilliseconds',
      'EmergentWindowSeconds',
      'PrimaryPollMilliseconds',
      'WriteBatchMilliseconds',
      'WriteBatchMaxSize',
    ]);
    for (const k of topologyKeys) expect([k.key, k.owner, k.check(k.default)]).toEqual([k.key, 'topology', undefined]);
    expect(topologyKeys.filter((k) => k.secret === true).map((k) => k.key)).toEqual([
      'MySQLTopologyPassword',
      'MySQLTopologyCredentialsConfigFile',
    ]);
  });

  it('every field a row names is a field validateTopologyConfig knows', () => {
    const fields = topologyKeys.flatMap((k) => k.field.split(', '));
    const input = Object.fromEntries(fields.map((f) => [f, undefined]));
    expect(() => validateTopologyConfig(input)).not.toThrow();
    expect(validateTopologyConfig(buildTopologyConfig(values(), noFiles)).instancePollSeconds).toBe(5);
  });

  it('checks values as orchestrator would read them', () => {
    const check = (key: string, value: unknown) => topologyKeys.find((k) => k.key === key)!.check(value);
    expect(check('InstancePollSeconds', 0)).toMatch(/positive integer/);
    expect(check('DiscoveryIgnoreHostnameFilters', ['('])).toMatch(/not a valid regular expression/);
    expect(check('DataCenterPattern', '[')).toMatch(/not a valid regular expression/);
    expect(check('ClusterNameToAlias', { '(': 'x' })).toMatch(/not a valid regular expression/);
    expect(check('ClusterNameToAlias', { '.*': 1 })).toMatch(/object of strings/);
    expect(check('DefaultInstancePort', 70_000)).toMatch(/port number/);
  });
});

describe('buildTopologyConfig', () => {
  it('maps each key to its camelCase field, and reads the recovery filters the analysis needs', () => {
    const input = buildTopologyConfig(
      values({
        InstancePollSeconds: 1,
        DiscoverySeeds: ['db1:3306'],
        MySQLTopologyUser: 'orc',
        MySQLTopologyPassword: 'secret',
        ClusterNameToAlias: { '.*': 'main' },
        EmergentPollMilliseconds: 50,
        RecoverMasterClusterFilters: ['*'],
      }),
      noFiles,
    );
    expect(input).toMatchObject({
      instancePollSeconds: 1,
      discoverySeeds: ['db1:3306'],
      mysqlTopologyUser: 'orc',
      mysqlTopologyPassword: 'secret',
      clusterNameToAlias: { '.*': 'main' },
      emergentPollMilliseconds: 50,
      recoverMasterClusterFilters: ['*'],
      defaultInstancePort: 3306,
    });
    expect(input).not.toHaveProperty('recoverIntermediateMasterClusterFilters');
    expect(validateTopologyConfig(input).recoverMasterClusterFilters).toEqual(['*']);
  });

  it("replaces user and password with the credentials file's [client] section", () => {
    const io = files({
      '/etc/orc/topology.cnf':
        '[mysql]\nuser = other\n\n[client]\n; probes\nuser = orc_topology\npassword = "p;a#s s\\"word"\n',
    });
    const input = buildTopologyConfig(
      values({
        MySQLTopologyUser: 'ignored',
        MySQLTopologyPassword: 'ignored',
        MySQLTopologyCredentialsConfigFile: '/etc/orc/topology.cnf',
      }),
      io,
    );
    expect([input.mysqlTopologyUser, input.mysqlTopologyPassword]).toEqual(['orc_topology', 'p;a#s s"word']);
  });

  it('names the credentials file when it cannot be read, lacks a user, or does not parse', () => {
    const build = (io: ConfigIo) => () =>
      buildTopologyConfig(values({ MySQLTopologyCredentialsConfigFile: '/c.cnf' }), io);
    const unreadable = refusal(TopologyError, build(files({})));
    expect(unreadable.code).toBe('INVALID_CONFIG');
    expect(unreadable.retryable).toBe(false);
    expect(unreadable.details).toEqual([
      { path: 'MySQLTopologyCredentialsConfigFile', message: expect.stringContaining('cannot read /c.cnf') },
    ]);
    expect(refusal(TopologyError, build(files({ '/c.cnf': '[client]\npassword = x\n' }))).details[0]?.message).toMatch(
      /no user= in its \[client\] section/,
    );
    expect(refusal(TopologyError, build(files({ '/c.cnf': '[client]\nuser = "x\n' }))).details[0]?.message).toMatch(
      /line 2: unterminated quote/,
    );
  });
});
