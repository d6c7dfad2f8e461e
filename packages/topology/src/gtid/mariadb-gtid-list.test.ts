import { describe, expect, it } from '@jest/globals';
import { thrownBy } from '@orc/testkit';
import { type TopologyError, isTopologyError } from '../errors.js';
import { MariaDbGtidList, type MariaDbGtidVariable, mariaDbCurrentPos } from './mariadb-gtid-list.js';

const pos = (text: string): MariaDbGtidList => MariaDbGtidList.parse(text, 'gtid_current_pos');
const state = (text: string): MariaDbGtidList => MariaDbGtidList.parse(text, 'gtid_binlog_state');

const parseError = (text: string, variable: MariaDbGtidVariable): TopologyError =>
  thrownBy(
    () => MariaDbGtidList.parse(text, variable),
    (error): error is TopologyError => isTopologyError(error, 'INVALID_GTID_SET'),
  );

describe('MariaDbGtidList.parse and toString', () => {
  it.each([
    ['empty', '', 'gtid_slave_pos', ''],
    ['whitespace only', '\n ', 'gtid_binlog_pos', ''],
    ['one domain', '0-1-100', 'gtid_slave_pos', '0-1-100'],
    ['domains sorted', '2-1-5,0-3-100,1-1-7', 'gtid_current_pos', '0-3-100,1-1-7,2-1-5'],
    ['newlines and spaces', ' 0-1-100 ,\n1-2-3 ', 'gtid_binlog_pos', '0-1-100,1-2-3'],
    ['a binlog state, several servers per domain', '0-2-90,0-1-100', 'gtid_binlog_state', '0-1-100,0-2-90'],
    ['64-bit seq_no', '0-1-18446744073709551615', 'gtid_slave_pos', '0-1-18446744073709551615'],
  ] as const)('%s', (_name, text, variable, printed) => {
    expect(MariaDbGtidList.parse(text, variable).toString()).toBe(printed);
  });

  it.each([
    ['a MySQL set', '3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5', 'gtid_slave_pos', '0', /not domain-server-seq/],
    ['two parts', '0-1', 'gtid_slave_pos', '0', /not domain-server-seq/],
    ['a sign', '0-1-+5', 'gtid_slave_pos', '0', /not domain-server-seq/],
    ['a trailing comma', '0-1-5,', 'gtid_slave_pos', '1', /empty part/],
    ['a domain twice in a position', '0-1-5,0-2-7', 'gtid_binlog_pos', '1', /repeats domain 0 of part 0/],
    ['a server twice in a state', '0-1-5,0-1-7', 'gtid_binlog_state', '1', /repeats domain 0 and server 1/],
    ['a server id beyond 32 bits', '0-4294967296-1', 'gtid_slave_pos', '0', /< 2\^32/],
    ['seq_no beyond 64 bits', '0-1-18446744073709551616', 'gtid_slave_pos', '0', /seq_no < 2\^64/],
  ] as const)('refuses %s, naming the part', (_name, text, variable, path, message) => {
    const error = parseError(text, variable);
    expect(error.details[0]?.path).toBe(path);
    expect(error.details[0]?.message).toMatch(message);
    expect(error.message).toContain(variable);
  });
});

describe('MariaDbGtidList positions', () => {
  it.each([
    ['equal', '0-1-10', '0-1-10', 'EQUAL', true],
    ['ahead', '0-1-11', '0-1-10', 'AHEAD', true],
    ['behind', '0-1-9', '0-1-10', 'BEHIND', false],
    ['ahead from another server (after a failover)', '0-2-11', '0-1-10', 'AHEAD', true],
    ['same seq_no from another server: diverged', '0-2-10', '0-1-10', 'DIVERGED', false],
    ['a domain missing', '', '0-1-10', 'MISSING', false],
    ['an extra domain', '0-1-10', '', 'EXTRA', true],
  ] as const)('%s', (_name, a, b, standing, atLeast) => {
    expect(
      pos(a)
        .compare(pos(b))
        .map((d) => d.standing),
    ).toEqual([standing]);
    expect(pos(a).isAtLeastAsAdvancedAs(pos(b))).toBe(atLeast);
  });

  it('compares domain by domain: one domain behind is enough to refuse', () => {
    const candidate = pos('0-1-100,1-2-50');
    const lost = pos('0-1-99,1-2-51');
    expect(candidate.compare(lost).map((d) => [d.domainId, d.standing])).toEqual([
      [0, 'AHEAD'],
      [1, 'BEHIND'],
    ]);
    expect(candidate.isAtLeastAsAdvancedAs(lost)).toBe(false);
    expect(candidate.isAtLeastAsAdvancedAs(pos('0-1-100'))).toBe(true);
  });

  it('derives gtid_current_pos as MariaDB does', () => {
    const binlog = MariaDbGtidList.parse('0-2-12,1-1-5,2-3-9', 'gtid_binlog_pos');
    const slave = MariaDbGtidList.parse('0-1-10,1-1-7', 'gtid_slave_pos');
    // domain 0: own write beyond the slave position; 1: the slave position; 2: another server's, not applied here
    expect(mariaDbCurrentPos(binlog, slave, 2).toString()).toBe('0-2-12,1-1-7');
  });
});

describe('MariaDbGtidList as a set per domain and server', () => {
  it('union keeps the higher seq_no per domain and server', () => {
    expect(state('0-1-10,0-2-3').union(state('0-1-12,1-1-1')).toString()).toBe('0-1-12,0-2-3,1-1-1');
  });

  it('subtract keeps what the other lacks or has lower', () => {
    expect(state('0-1-10,0-2-3,1-1-1').subtract(state('0-1-12,0-2-2')).toString()).toBe('0-2-3,1-1-1');
  });

  it('contains and equals', () => {
    expect(state('0-1-10,0-2-3').contains(state('0-1-9'))).toBe(true);
    expect(state('0-1-10').contains(state('0-2-1'))).toBe(false);
    expect(state('0-2-3,0-1-10').equals(state('0-1-10,0-2-3'))).toBe(true);
  });

  it('headOf returns every GTID at the top seq_no of a diverged state', () => {
    expect(
      state('0-1-10,0-2-10,0-3-4')
        .headOf(0)
        .map((g) => g.serverId),
    ).toEqual([1, 2]);
  });
});
