import { describe, it, expect } from '@jest/globals';
import { thrownBy } from '@orc/testkit';
import { validateTopologyConfig } from './topology-config.js';
import { isTopologyError, type TopologyError } from './errors.js';

const problemsOf = (input: unknown): TopologyError => thrownBy(() => validateTopologyConfig(input), isTopologyError);

describe('validateTopologyConfig', () => {
  it("fills orchestrator's defaults", () => {
    const c = validateTopologyConfig({});
    expect(c.instancePollSeconds).toBe(5);
    expect(c.discoveryMaxConcurrency).toBe(300);
    expect(c.discoveryQueueCapacity).toBe(100_000);
    expect(c.mysqlConnectTimeoutSeconds).toBe(2);
    expect(c.mysqlDiscoveryReadTimeoutSeconds).toBe(10);
    expect(c.unseenInstanceForgetHours).toBe(240);
    expect(c.emergentWindowSeconds).toBe(10);
    expect(c.recoverMasterClusterFilters).toEqual([]);
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('parses seeds with the default port', () => {
    expect(
      validateTopologyConfig({ discoverySeeds: ['db1', 'db2:3307'], defaultInstancePort: 3310 }).discoverySeeds,
    ).toEqual(['db1:3310', 'db2:3307']);
  });

  it('accepts orchestrator cluster-filter forms', () => {
    const c = validateTopologyConfig({ recoverMasterClusterFilters: ['*', 'alias=main', 'alias~=^ma', 'db-.*'] });
    expect(c.recoverMasterClusterFilters).toHaveLength(4);
  });

  it('reports every problem at once, each with its dotted path', () => {
    const error = problemsOf({
      instancePollSeconds: 0,
      discoveryMaxConcurrency: 2.5,
      discoverySeeds: ['ok:1', 'bad:port:x', 7],
      discoveryIgnoreHostnameFilters: ['('],
      recoverMasterClusterFilters: ['alias~=('],
      clusterNameToAlias: { '[': 'x' },
      mysqlTopologyUser: 5,
      InstancePollSeconds: 5,
    });
    expect(error.code).toBe('INVALID_CONFIG');
    expect(error.retryable).toBe(false);
    expect(error.details.map((d) => d.path).sort()).toEqual(
      [
        'InstancePollSeconds',
        'clusterNameToAlias.[',
        'discoveryIgnoreHostnameFilters.0',
        'discoveryMaxConcurrency',
        'discoverySeeds.1',
        'discoverySeeds.2',
        'instancePollSeconds',
        'mysqlTopologyUser',
        'recoverMasterClusterFilters.0',
      ].sort(),
    );
    expect(error.details.find((d) => d.path === 'InstancePollSeconds')?.message).toBe('unknown field');
  });

  it('rejects a non-object', () => {
    expect(problemsOf(null).details).toEqual([{ path: '', message: 'must be an object' }]);
    expect(problemsOf([]).code).toBe('INVALID_CONFIG');
  });
});
