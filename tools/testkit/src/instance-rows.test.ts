import { describe, expect, it } from '@jest/globals';
import { instanceRow, replicaRow } from './instance-rows.js';

describe('instance-row fixtures', () => {
  it('builds a writable top-level server whose overrides win', () => {
    const row = instanceRow('db1', 3307, { clusterName: 'db1:3307', lastSeen: 5 });
    expect(row).toMatchObject({ hostname: 'db1', port: 3307, serverId: 3307, masterHost: '', masterPort: 0 });
    expect(row).toMatchObject({ readOnly: false, clusterName: 'db1:3307', lastSeen: 5, replicationDepth: 0 });
  });

  it('builds a read-only replica pointing at its primary, overrides last', () => {
    const row = replicaRow('db2', 3306, { hostname: 'db1', port: 3307 }, 'db1:3307', { slaveIoRunning: false });
    expect(row).toMatchObject({ masterHost: 'db1', masterPort: 3307, clusterName: 'db1:3307', readOnly: true });
    expect(row).toMatchObject({ slaveIoRunning: false, slaveSqlRunning: true, replicationDepth: 1 });
  });

  it('returns a fresh object each time', () => {
    const a = instanceRow('h', 1);
    a.port = 2;
    expect(instanceRow('h', 1).port).toBe(1);
  });
});
