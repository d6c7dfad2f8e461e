import { describe, expect, it } from '@jest/globals';
import { cliOutput, cliRequest, raftModeRefusal } from './cli-command.js';

describe('orc -c', () => {
  it("maps orchestrator's commands and flags to API paths", () => {
    expect(cliRequest(['discover', '-i', 'db1:3307'])).toEqual({ path: '/api/discover/db1/3307', output: 'json' });
    expect(cliRequest(['forget', '-i', 'db1']).path).toBe('/api/forget/db1/3306');
    expect(cliRequest(['topology', '-a', 'shop'])).toEqual({ path: '/api/topology/shop', output: 'details-text' });
    expect(cliRequest(['clusters']).output).toBe('lines');
    expect(cliRequest(['begin-downtime', '-i', 'db2:3306', '-o', 'ops', '-r', 'disk swap', '-u', '1h']).path).toBe(
      '/api/begin-downtime/db2/3306/ops/disk%20swap/1h',
    );
    expect(cliRequest(['submit-masters-to-kv-stores', '-a', 'shop']).path).toBe(
      '/api/submit-masters-to-kv-stores/shop',
    );
  });

  it('maps recover and the takeovers to their routes, by alias or by member', () => {
    expect(cliRequest(['recover', '-i', 'db1:3307'])).toEqual({ path: '/api/recover/db1/3307', output: 'details-key' });
    expect(cliRequest(['recover', '-i', 'db1', '-d', 'db3:3306']).path).toBe('/api/recover/db1/3306/db3/3306');
    expect(cliRequest(['graceful-master-takeover', '-alias', 'shop', '-d', 'db2:3306'])).toEqual({
      path: '/api/graceful-master-takeover/shop/db2/3306',
      output: 'successor-key',
    });
    expect(cliRequest(['graceful-master-takeover', '-i', 'db1:3306']).path).toBe(
      '/api/graceful-master-takeover/db1/3306',
    );
    expect(cliRequest(['graceful-master-takeover-auto', '-a', 'shop']).path).toBe(
      '/api/graceful-master-takeover-auto/shop',
    );
    expect(cliRequest(['force-master-failover', '--alias', 'shop']).path).toBe('/api/force-master-failover/shop');
    expect(cliRequest(['force-master-takeover', '-a', 'shop', '-d', 'db3']).path).toBe(
      '/api/force-master-takeover/shop/db3/3306',
    );
  });

  it("prints the promoted instance's key as orchestrator-client does", () => {
    const key = { Hostname: 'db2', Port: 3306 };
    expect(cliOutput('details-key', { Code: 'OK', Message: 'Recovery executed on db1:3306', Details: key })).toBe(
      'db2:3306\n',
    );
    expect(cliOutput('successor-key', { Code: 'OK', Message: '', Details: { UID: 'u', SuccessorKey: key } })).toBe(
      'db2:3306\n',
    );
    expect(cliOutput('lines', ['a', 'b'])).toBe('a\nb\n');
  });

  it('names what is missing or unknown', () => {
    expect(() => cliRequest(['recover'])).toThrow('recover: -i host:port is required');
    expect(() => cliRequest(['graceful-master-takeover', '-d', 'db2'])).toThrow('-a alias or -i host:port is required');
    expect(() => cliRequest(['force-master-takeover', '-a', 'shop'])).toThrow('-d host:port of the replica');
    expect(() => cliRequest(['recover', '-i', 'db1', '-d', 'a/b'])).toThrow('-d must be host or host:port');
    expect(() => cliRequest(['discover'])).toThrow('discover: -i host:port is required');
    expect(() => cliRequest(['begin-downtime', '-i', 'db1'])).toThrow('-r reason is required');
    expect(() => cliRequest(['relocate'])).toThrow('unknown command "relocate"');
    expect(() => cliRequest(['discover', '-i', 'a/b'])).toThrow('-i must be host or host:port');
  });
});

describe('raftModeRefusal', () => {
  it('refuses with RaftEnabled true, pointing at orc-client, and lets any other configuration run', () => {
    expect(raftModeRefusal({ RaftEnabled: true })).toMatch(/RaftEnabled.*orc-client/);
    expect(raftModeRefusal({ RaftEnabled: false })).toBeUndefined();
    expect(raftModeRefusal({})).toBeUndefined();
  });
});
