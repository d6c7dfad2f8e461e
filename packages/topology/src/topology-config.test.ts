import { describe, it, expect } from '@jest/globals';
import { validateTopologyConfig } from './topology-config.js';
import { TopologyError } from './errors.js';

describe('validateTopologyConfig', () => {
  it("fills orchestrator's defaults", () => {
    const c = validateTopologyConfig({});
    expect(c.InstancePollSeconds).toBe(5);
    expect(c.DiscoveryMaxConcurrency).toBe(300);
    expect(c.MySQLConnectTimeoutSeconds).toBe(2);
    expect(c.MySQLDiscoveryReadTimeoutSeconds).toBe(10);
    expect(c.EmergentWindowSeconds).toBe(10);
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('parses seeds with the default port', () => {
    expect(
      validateTopologyConfig({ DiscoverySeeds: ['db1', 'db2:3307'], DefaultInstancePort: 3310 }).DiscoverySeeds,
    ).toEqual(['db1:3310', 'db2:3307']);
  });

  it('reports every problem at once, each with its path', () => {
    let error: unknown;
    try {
      validateTopologyConfig({
        InstancePollSeconds: 0,
        DiscoveryMaxConcurrency: 2.5,
        DiscoverySeeds: ['ok:1', 'bad:port:x', 7],
        DiscoveryIgnoreHostnameFilters: ['('],
        ClusterNameToAlias: { '[': 'x' },
        MySQLTopologyUser: 5,
        Nonsense: true,
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TopologyError);
    const paths = (error as TopologyError).details.map((d) => d.path).sort();
    expect(paths).toEqual(
      [
        'ClusterNameToAlias.[',
        'DiscoveryIgnoreHostnameFilters[0]',
        'DiscoveryMaxConcurrency',
        'DiscoverySeeds[1]',
        'DiscoverySeeds[2]',
        'InstancePollSeconds',
        'MySQLTopologyUser',
        'Nonsense',
      ].sort(),
    );
    expect((error as TopologyError).code).toBe('INVALID_CONFIG');
  });

  it('rejects a non-object', () => {
    expect(() => validateTopologyConfig(null)).toThrow(TopologyError);
    expect(() => validateTopologyConfig([])).toThrow(TopologyError);
  });
});
