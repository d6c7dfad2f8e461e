import { describe, expect, it } from '@jest/globals';
import { fakeMariaDbProbeAnswer, type FakeMariaDbServer } from './mariadb-probe-answers.js';

const primary: FakeMariaDbServer = {
  host: 'db1',
  port: 3306,
  serverId: 1,
  version: '10.11.6-MariaDB-log',
  versionComment: 'fake',
  gtid: '0-1-100',
  position: 1000,
  uptimeSeconds: 5,
  replicas: [{ serverId: 2, host: 'db2', port: 3306 }],
  source: null,
};
const replica: FakeMariaDbServer = {
  ...primary,
  host: 'db2',
  serverId: 2,
  replicas: [],
  source: {
    host: 'db1',
    port: 3306,
    ioState: 'Reconnecting after a failed master event read',
    ioRunning: 'Connecting',
    lagSeconds: null,
    ioErrno: 2003,
    ioError: "Can't connect",
  },
};

/** One answer's rows as column -> value records. */
function records(server: FakeMariaDbServer, sql: string): Record<string, unknown>[] {
  const a = fakeMariaDbProbeAnswer(server, sql);
  if (a === undefined || !('columns' in a)) throw new Error(`no rows for ${sql}`);
  return a.rows.map((r) => Object.fromEntries(a.columns.map((c, i) => [c, r[i]])));
}

describe('fakeMariaDbProbeAnswer', () => {
  it('reports a primary writable with its replicas, and no replication of its own', () => {
    const vars = Object.fromEntries(
      records(primary, 'SHOW GLOBAL VARIABLES').map((r) => [r['Variable_name'], r['Value']]),
    );
    expect(vars).toMatchObject({ read_only: 'OFF', server_id: 1, gtid_binlog_state: '0-1-100', report_host: 'db1' });
    expect(records(primary, 'SHOW SLAVE STATUS')).toEqual([]);
    expect(records(primary, 'SHOW SLAVE HOSTS')).toEqual([{ Server_id: 2, Host: 'db2', Port: 3306, Master_id: 1 }]);
  });

  it("puts a replica's source state in SHOW SLAVE STATUS's columns", () => {
    expect(records(replica, 'SHOW SLAVE STATUS')).toEqual([
      expect.objectContaining({
        Master_Host: 'db1',
        Master_Port: 3306,
        Slave_IO_Running: 'Connecting',
        Slave_SQL_Running: 'Yes',
        Seconds_Behind_Master: null,
        Last_IO_Errno: 2003,
        Using_Gtid: 'Slave_Pos',
        Gtid_IO_Pos: '0-1-100',
      }),
    ]);
    expect(records(replica, 'SHOW SLAVE HOSTS')).toEqual([]);
  });

  it('leaves any other statement to the caller', () => {
    expect(fakeMariaDbProbeAnswer(primary, 'STOP SLAVE')).toBeUndefined();
  });
});
