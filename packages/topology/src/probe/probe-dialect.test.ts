import { describe, it, expect } from '@jest/globals';
import {
  binlogStatusStatements,
  heartbeatStatements,
  MYSQL_HEARTBEAT_QUERY,
  nameValueRows,
  parseReplicaHosts,
  parseReplicationStatus,
  parseServerVersion,
  replicaHostsStatements,
  replicaStatusStatements,
  withMysqlHeartbeats,
} from './probe-dialect.js';
import { classifyDriverError, isUnusableStatement } from './probe-errors.js';

describe('probe dialect', () => {
  it('recognises flavours and versions', () => {
    expect(parseServerVersion('10.11.6-MariaDB-0+deb12u1-log')).toMatchObject({
      flavor: 'mariadb',
      majorVersion: '10.11',
    });
    expect(parseServerVersion('11.4.3-MariaDB')).toMatchObject({ flavor: 'mariadb', majorVersion: '11.4' });
    expect(parseServerVersion('8.0.36', 'MySQL Community Server - GPL')).toMatchObject({
      flavor: 'mysql',
      major: 8,
      patch: 36,
    });
    expect(parseServerVersion('8.0.35-27', 'Percona Server (GPL), Release 27')).toMatchObject({ flavor: 'percona' });
    expect(parseServerVersion('garbage').flavor).toBe('unknown');
  });

  it('chooses statements by version, always with a fallback where names changed', () => {
    const v = (s: string) => parseServerVersion(s);
    expect(replicaStatusStatements(v('5.7.44'))).toEqual(['SHOW SLAVE STATUS']);
    expect(replicaStatusStatements(v('8.0.21'))).toEqual(['SHOW SLAVE STATUS']);
    expect(replicaStatusStatements(v('8.0.22'))).toEqual(['SHOW REPLICA STATUS', 'SHOW SLAVE STATUS']);
    expect(replicaStatusStatements(v('8.4.0'))[0]).toBe('SHOW REPLICA STATUS');
    expect(replicaStatusStatements(v('10.11.6-MariaDB'))).toEqual(['SHOW SLAVE STATUS', 'SHOW REPLICA STATUS']);
    expect(binlogStatusStatements(v('8.4.0'))).toEqual(['SHOW BINARY LOG STATUS', 'SHOW MASTER STATUS']);
    expect(binlogStatusStatements(v('8.0.36'))).toEqual(['SHOW MASTER STATUS']);
    expect(binlogStatusStatements(v('11.4.3-MariaDB'))).toEqual(['SHOW MASTER STATUS', 'SHOW BINLOG STATUS']);
    expect(replicaHostsStatements(v('8.4.0'))).toEqual(['SHOW REPLICAS', 'SHOW SLAVE HOSTS']);
    expect(replicaHostsStatements(v('10.6.1-MariaDB'))).toEqual(['SHOW SLAVE HOSTS']);
  });

  it('reads replica status under old and new column names', () => {
    const mysql84 = parseReplicationStatus({
      Source_Host: 'db1',
      Source_Port: 3306,
      Source_User: 'repl',
      Replica_IO_Running: 'Connecting',
      Replica_SQL_Running: 'Yes',
      Source_Log_File: 'binlog.000003',
      Read_Source_Log_Pos: '157',
      Relay_Source_Log_File: 'binlog.000003',
      Exec_Source_Log_Pos: '150',
      Last_IO_Errno: 2003,
      Last_IO_Error: "error connecting to source 'repl@db1:3306' - retry-time: 60 retries: 1",
      Seconds_Behind_Source: null,
      SQL_Delay: 0,
      Auto_Position: 1,
      Source_UUID: 'u',
      Retrieved_Gtid_Set: 'u:1-3',
    });
    expect(mysql84).toMatchObject({
      masterHost: 'db1',
      ioThreadState: 'Connecting',
      isSqlThreadRunning: true,
      readBinlogCoordinates: { file: 'binlog.000003', position: 157 },
      execBinlogCoordinates: { file: 'binlog.000003', position: 150 },
      secondsBehindMaster: null,
      isAutoPosition: true,
      retrievedGtidSet: 'u:1-3',
    });
    const maria = parseReplicationStatus({
      Master_Host: '127.0.0.1',
      Master_Port: 3306,
      Slave_IO_Running: 'Yes',
      Slave_SQL_Running: 'No',
      Seconds_Behind_Master: '12',
      Using_Gtid: 'Slave_Pos',
      Gtid_IO_Pos: '0-1-5',
    });
    expect(maria).toMatchObject({
      ioThreadState: 'Yes',
      isSqlThreadRunning: false,
      secondsBehindMaster: 12,
      usingMariaDbGtid: 'Slave_Pos',
    });
  });

  it('reads name/value rows and replica hosts', () => {
    expect(nameValueRows([{ Variable_name: 'READ_ONLY', Value: 'ON' }]).get('read_only')).toBe('ON');
    expect(parseReplicaHosts([{ Server_id: 2, Host: 'r1', Port: 3307, Master_id: 1 }])).toEqual([
      { host: 'r1', port: 3307, serverId: 2 },
    ]);
  });
});

describe('probe error classification', () => {
  it('maps driver errors to codes', () => {
    expect(classifyDriverError({ code: 'ENOTFOUND' })).toBe('UNRESOLVABLE_HOST');
    expect(classifyDriverError({ code: 'ECONNREFUSED' })).toBe('CONNECTION_REFUSED');
    expect(classifyDriverError({ code: 'ER_ACCESS_DENIED_ERROR', errno: 1045 })).toBe('AUTH_FAILED');
    expect(classifyDriverError({ code: 'ETIMEDOUT' })).toBe('TIMEOUT');
    expect(classifyDriverError({ code: 'PROTOCOL_CONNECTION_LOST', fatal: true })).toBe('CONNECTION_LOST');
    expect(classifyDriverError({ code: 'ER_LOCK_WAIT_TIMEOUT', errno: 1205 })).toBe('QUERY_FAILED');
  });
  it('knows statements a server may not support', () => {
    expect(isUnusableStatement({ errno: 1064 })).toBe(true);
    expect(isUnusableStatement({ errno: 1227 })).toBe(true);
    expect(isUnusableStatement({ errno: 1205 })).toBe(false);
    expect(isUnusableStatement({ code: 'ECONNRESET' })).toBe(false);
  });

  it('reads MySQL heartbeat witnesses from performance_schema, and only on MySQL', () => {
    expect(heartbeatStatements(parseServerVersion('8.0.36'))).toEqual([MYSQL_HEARTBEAT_QUERY]);
    expect(heartbeatStatements(parseServerVersion('5.7.44-log'))).toEqual([MYSQL_HEARTBEAT_QUERY]);
    expect(heartbeatStatements(parseServerVersion('10.11.6-MariaDB'))).toEqual([]);
    const rep = parseReplicationStatus({ Source_Host: 'db1', Source_Port: 3306, Replica_IO_Running: 'Yes' });
    expect(rep.receivedHeartbeats).toBeNull();
    expect(withMysqlHeartbeats(rep, { received_heartbeats: '17', heartbeat_period: '0.500' })).toMatchObject({
      receivedHeartbeats: 17,
      heartbeatPeriodSeconds: 0.5,
    });
    expect(withMysqlHeartbeats(rep, undefined)).toBe(rep);
    // Without heartbeats configured MySQL reports a period of 0: no witness, as on MariaDB.
    expect(withMysqlHeartbeats(rep, { received_heartbeats: 0, heartbeat_period: 0 })).toMatchObject({
      receivedHeartbeats: 0,
      heartbeatPeriodSeconds: 0,
    });
  });
});
