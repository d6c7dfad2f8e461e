import { describe, expect, it } from '@jest/globals';
import { parseServerVersion } from '../probe/probe-dialect.js';
import { recoveryDialect, sqlString } from './recovery-dialect.js';

const d = (version: string) => recoveryDialect(parseServerVersion(version));

describe('recoveryDialect', () => {
  it.each([
    [
      '10.11.6-MariaDB',
      'STOP SLAVE',
      'RESET SLAVE ALL',
      "CHANGE MASTER TO MASTER_HOST='db2', MASTER_PORT=3306, MASTER_USE_GTID=slave_pos",
      "SELECT MASTER_GTID_WAIT('0-1-5', 3) AS r",
    ],
    [
      '5.7.44',
      'STOP SLAVE',
      'RESET SLAVE ALL',
      "CHANGE MASTER TO MASTER_HOST='db2', MASTER_PORT=3306, MASTER_AUTO_POSITION=1",
      "SELECT WAIT_FOR_EXECUTED_GTID_SET('0-1-5', 3) AS r",
    ],
    [
      '8.0.21',
      'STOP SLAVE',
      'RESET SLAVE ALL',
      "CHANGE MASTER TO MASTER_HOST='db2', MASTER_PORT=3306, MASTER_AUTO_POSITION=1",
      "SELECT WAIT_FOR_EXECUTED_GTID_SET('0-1-5', 3) AS r",
    ],
    [
      '8.0.22',
      'STOP REPLICA',
      'RESET REPLICA ALL',
      "CHANGE MASTER TO MASTER_HOST='db2', MASTER_PORT=3306, MASTER_AUTO_POSITION=1",
      "SELECT WAIT_FOR_EXECUTED_GTID_SET('0-1-5', 3) AS r",
    ],
    [
      '8.4.2',
      'STOP REPLICA',
      'RESET REPLICA ALL',
      "CHANGE REPLICATION SOURCE TO SOURCE_HOST='db2', SOURCE_PORT=3306, SOURCE_AUTO_POSITION=1",
      "SELECT WAIT_FOR_EXECUTED_GTID_SET('0-1-5', 3) AS r",
    ],
  ])('%s', (version, stop, reset, change, wait) => {
    const dialect = d(version);
    expect(dialect.stopReplica).toBe(stop);
    expect(dialect.resetReplicaAll).toBe(reset);
    expect(dialect.changeSource('db2', 3306)).toBe(change);
    expect(dialect.waitForPosition('0-1-5', 3)).toBe(wait);
  });

  it('clears super_read_only before read_only on MySQL, and sets only read_only on MariaDB', () => {
    expect(d('8.4.2').setReadOnly(false)).toEqual(['SET GLOBAL super_read_only=0', 'SET GLOBAL read_only=0']);
    expect(d('8.4.2').setReadOnly(true)).toEqual(['SET GLOBAL super_read_only=1']);
    expect(d('10.11.6-MariaDB').setReadOnly(false)).toEqual(['SET GLOBAL read_only=0']);
  });

  it('quotes what it puts in a string literal', () => {
    expect(sqlString("a'b\\c")).toBe("'a\\'b\\\\c'");
    expect(d('10.11.6-MariaDB').detachSource('db1')).toBe("CHANGE MASTER TO MASTER_HOST='//db1'");
    expect(d('10.11.6-MariaDB').sourceCredentials('repl', "p'w")).toBe(
      "CHANGE MASTER TO MASTER_USER='repl', MASTER_PASSWORD='p\\'w'",
    );
    expect(d('8.4.2').sourceCredentials('repl', 'pw')).toBe(
      "CHANGE REPLICATION SOURCE TO SOURCE_USER='repl', SOURCE_PASSWORD='pw'",
    );
  });

  it('changes only the source host, keeping a file:pos replica at its executed coordinates', () => {
    expect(d('10.11.6-MariaDB').setSourceHost('db1')).toBe("CHANGE MASTER TO MASTER_HOST='db1'");
    expect(d('8.4.2').setSourceHost('//db1', { file: 'bin.000007', position: 1234 })).toBe(
      "CHANGE REPLICATION SOURCE TO SOURCE_HOST='//db1', SOURCE_LOG_FILE='bin.000007', SOURCE_LOG_POS=1234",
    );
    expect(d('5.7.44').setSourceHost('db1', { file: 'b.1', position: 4 })).toBe(
      "CHANGE MASTER TO MASTER_HOST='db1', MASTER_LOG_FILE='b.1', MASTER_LOG_POS=4",
    );
  });
});
