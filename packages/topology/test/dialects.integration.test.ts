// The probe against servers that speak other dialects than the MariaDB of testenv: a MySQL 8.4
// that no longer knows SHOW MASTER/SLAVE STATUS, and a MariaDB whose orc user may not run
// SHOW SLAVE HOSTS. Served by a MySQL-protocol fake (test/fake-mysql-server.ts, over testenv's serveFakeMysqlConnection).
import { describe, it, expect, afterEach } from '@jest/globals';
import { InstanceProber, instanceKey } from '../src/index.js';
import type { FakeMysqlServer } from './fake-mysql-server.js';
import { startFakeMysqlServer } from './fake-mysql-server.js';

let server: FakeMysqlServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const vars = (pairs: Record<string, unknown>) => ({
  columns: ['Variable_name', 'Value'],
  rows: Object.entries(pairs),
});

describe('probe dialects', () => {
  it('reads a MySQL 8.4 replica through SHOW REPLICA STATUS and SHOW BINARY LOG STATUS', async () => {
    server = await startFakeMysqlServer('8.4.2', (sql) => {
      if (sql.startsWith('SHOW GLOBAL VARIABLES')) {
        return vars({
          hostname: 'db2',
          report_host: 'db2',
          server_id: 2,
          server_uuid: 'u2',
          version: '8.4.2',
          version_comment: 'MySQL Community Server - GPL',
          read_only: 'ON',
          binlog_format: 'ROW',
          log_bin: 'ON',
          log_replica_updates: 'ON',
          gtid_mode: 'ON',
          gtid_executed: 'u1:1-10',
        });
      }
      if (sql.startsWith('SHOW GLOBAL STATUS')) return vars({ Uptime: 50 });
      if (sql === 'SHOW BINARY LOG STATUS') return { columns: ['File', 'Position'], rows: [['binlog.000002', 157]] };
      if (sql === 'SHOW REPLICA STATUS') {
        return {
          columns: [
            'Source_Host',
            'Source_Port',
            'Replica_IO_Running',
            'Replica_SQL_Running',
            'Source_Log_File',
            'Read_Source_Log_Pos',
            'Seconds_Behind_Source',
            'Auto_Position',
          ],
          rows: [['db1', 3306, 'Yes', 'Yes', 'binlog.000007', 900, 0, 1]],
        };
      }
      if (sql === 'SHOW REPLICAS') return { columns: ['Server_Id', 'Host', 'Port', 'Source_Id'], rows: [] };
      return undefined;
    });
    const prober = new InstanceProber({ user: 'orc', password: 'x', connectTimeoutMs: 1000, readTimeoutMs: 1000 });
    const key = instanceKey('127.0.0.1', server.port);
    for (let probe = 0; probe < 2; probe++) {
      const outcome = await prober.probe(key);
      if (!outcome.ok) throw outcome.error;
      expect(outcome.findings).toMatchObject({
        flavor: 'mysql',
        majorVersion: '8.4',
        hasLogReplicaUpdates: true,
        gtidMode: 'ON',
        selfBinlogCoordinates: { file: 'binlog.000002', position: 157 },
        masterKey: 'db1:3306',
        replication: { ioThreadState: 'Yes', isAutoPosition: true },
      });
    }
    // The first probe's guessed batch was rejected; the second used the learned batch in one go.
    expect(server.statements.filter((s) => s === 'SHOW MASTER STATUS').length).toBe(1);
    expect(server.statements.filter((s) => s === 'SHOW REPLICA STATUS').length).toBe(2);
    await prober.close();
  });

  it("reads a MySQL 8.0 replica's heartbeat counter from performance_schema, each probe anew", async () => {
    let heartbeats = 40;
    server = await startFakeMysqlServer('8.0.36', (sql) => {
      if (sql.startsWith('SHOW GLOBAL VARIABLES')) {
        return vars({ hostname: 'db2', server_id: 2, version: '8.0.36', read_only: 'ON', log_bin: 'ON' });
      }
      if (sql.startsWith('SHOW GLOBAL STATUS')) return vars({ Uptime: 50 });
      if (sql === 'SHOW MASTER STATUS') return { columns: ['File', 'Position'], rows: [['binlog.000002', 157]] };
      if (sql === 'SHOW REPLICA STATUS') {
        return {
          columns: ['Source_Host', 'Source_Port', 'Replica_IO_Running', 'Replica_SQL_Running', 'Auto_Position'],
          rows: [['db1', 3306, 'Yes', 'Yes', 1]],
        };
      }
      if (sql.includes('performance_schema.replication_connection_status')) {
        heartbeats += 1;
        return { columns: ['received_heartbeats', 'heartbeat_period'], rows: [[heartbeats, '1.000']] };
      }
      if (sql === 'SHOW REPLICAS') return { columns: ['Server_Id', 'Host', 'Port', 'Source_Id'], rows: [] };
      return undefined;
    });
    const prober = new InstanceProber({ user: 'orc', password: 'x', connectTimeoutMs: 1000, readTimeoutMs: 1000 });
    const key = instanceKey('127.0.0.1', server.port);
    const counts: (number | null | undefined)[] = [];
    for (let probe = 0; probe < 2; probe++) {
      const outcome = await prober.probe(key);
      if (!outcome.ok) throw outcome.error;
      expect(outcome.findings.replication?.heartbeatPeriodSeconds).toBe(1);
      counts.push(outcome.findings.replication?.receivedHeartbeats);
    }
    expect(counts).toEqual([41, 42]);
    await prober.close();
  });

  it('falls back to the processlist when SHOW SLAVE HOSTS is denied, never listing the server itself', async () => {
    server = await startFakeMysqlServer('10.11.6-MariaDB', (sql) => {
      if (sql.startsWith('SHOW GLOBAL VARIABLES')) {
        return vars({ hostname: 'p', server_id: 1, version: '10.11.6-MariaDB-log', read_only: 'OFF', log_bin: 'ON' });
      }
      if (sql.startsWith('SHOW GLOBAL STATUS')) return vars({ Uptime: 5 });
      if (sql === 'SHOW MASTER STATUS') return { columns: ['File', 'Position'], rows: [['mariadb-bin.000001', 4]] };
      if (sql === 'SHOW SLAVE STATUS') return { columns: ['Master_Host'], rows: [] };
      if (sql === 'SHOW SLAVE HOSTS') {
        return {
          errno: 1227,
          message: 'Access denied; you need (at least one of) the REPLICATION MASTER ADMIN privilege(s)',
        };
      }
      if (sql.includes('information_schema.processlist'))
        return { columns: ['host'], rows: [['127.0.0.1'], ['10.0.0.7']] };
      return undefined;
    });
    const port = server.port;
    const prober = new InstanceProber({ user: 'orc', password: 'x', connectTimeoutMs: 1000, readTimeoutMs: 1000 });
    const outcome = await prober.probe(instanceKey('127.0.0.1', port));
    if (!outcome.ok) throw outcome.error;
    expect(outcome.findings.replicaKeys).toEqual([`10.0.0.7:${port}`]);
    expect(outcome.warnings.some((w) => w.includes('SHOW SLAVE HOSTS'))).toBe(true);
    await prober.close();
  });

  it('reports a server that accepts the login but never answers a query as a timeout, within the read timeout', async () => {
    server = await startFakeMysqlServer('10.11.6-MariaDB', () => ({ hang: true }));
    const prober = new InstanceProber({ user: 'orc', password: 'x', connectTimeoutMs: 500, readTimeoutMs: 300 });
    const outcome = await prober.probe(instanceKey('127.0.0.1', server.port));
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) {
      expect(outcome.error.code).toBe('TIMEOUT');
      expect(outcome.isPartialSuccess).toBe(false);
    }
    await prober.close();
  });
});
