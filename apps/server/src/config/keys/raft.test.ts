import { describe, expect, it } from '@jest/globals';
import { buildRaftConfig, normalizeRaftNode, raftKeys } from './raft.js';

const defaults = Object.fromEntries(raftKeys.map((k) => [k.key, k.default]));
const three = ['orc1', 'orc2:7000', 'orc3'];

describe('raft keys', () => {
  it("every row's default passes its own check and the defaults build a disabled single member", () => {
    for (const spec of raftKeys) expect(spec.check(spec.default)).toBeUndefined();
    const built = buildRaftConfig(defaults);
    expect('problems' in built ? built.problems : built.enabled).toBe(false);
    if ('problems' in built) return;
    expect(built.members).toEqual([{ id: '127.0.0.1:10008', address: '127.0.0.1:10008' }]);
    expect(built.quorumBailOutMs).toBe(60_000);
    expect(built.expectConsensus).toBe(true);
  });

  it('appends DefaultRaftPort, keeps host names unresolved and finds this node by RaftAdvertise', () => {
    expect(normalizeRaftNode('orc1', 10008)).toBe('orc1:10008');
    const built = buildRaftConfig({
      ...defaults,
      RaftEnabled: true,
      RaftDataDir: '/var/lib/orc/raft',
      RaftBind: '0.0.0.0:10008',
      RaftAdvertise: 'orc2:7000',
      RaftNodes: three,
      RaftSharedSecret: 'a secret of 16+ chars',
    });
    if ('problems' in built) throw new Error(JSON.stringify(built.problems));
    expect(built.self).toBe('orc2:7000');
    expect(built.members.map((m) => m.address)).toEqual(['orc1:10008', 'orc2:7000', 'orc3:10008']);
    expect(built.bind).toEqual({ host: '0.0.0.0', port: 10008 });
    expect(built.hostsFile).toBeUndefined();
    const withHosts = buildRaftConfig({
      ...defaults,
      RaftEnabled: true,
      RaftDataDir: '/var/lib/orc/raft',
      RaftBind: 'orc2:7000',
      RaftNodes: three,
      RaftHostsFile: '/etc/orc/raft-hosts',
    });
    if ('problems' in withHosts) throw new Error(JSON.stringify(withHosts.problems));
    // RaftBind may name the node: the name stays unresolved until the member starts.
    expect([withHosts.self, withHosts.bind.host, withHosts.hostsFile]).toEqual([
      'orc2:7000',
      'orc2',
      '/etc/orc/raft-hosts',
    ]);
  });

  it('reports every problem at once, each with its key', () => {
    const built = buildRaftConfig({
      ...defaults,
      RaftEnabled: true,
      RaftNodes: three,
      RaftSharedSecret: 'short',
      RaftSSLCAFile: '/ca.pem',
      RaftElectionTimeoutMillis: 100,
    });
    expect('problems' in built ? built.problems.map((p) => p.path) : []).toEqual([
      'RaftDataDir',
      'RaftNodes',
      'RaftSharedSecret',
      'RaftSSLCertFile',
      'RaftElectionTimeoutMillis',
    ]);
  });

  it('refuses malformed RaftBind and RaftNodes values', () => {
    const spec = (k: string) => raftKeys.find((r) => r.key === k);
    expect(spec('RaftBind')?.check('orc1')).toMatch(/host:port/);
    expect(spec('RaftNodes')?.check(['orc 1'])).toMatch(/host/);
    expect(spec('RaftNodes')?.check(three)).toBeUndefined();
  });
});
