import { describe, it, expect } from '@jest/globals';
import { instanceKey, parseInstanceKey, splitInstanceKey, toOrchestratorKey } from './instance-key.js';
import { isTopologyError } from '../errors.js';

describe('instance keys', () => {
  it('parses host:port, bare hosts and bracketed IPv6', () => {
    expect(parseInstanceKey('db1:3307')).toBe('db1:3307');
    expect(parseInstanceKey('db1')).toBe('db1:3306');
    expect(parseInstanceKey('[::1]:3310')).toBe('[::1]:3310');
    expect(splitInstanceKey(parseInstanceKey('[::1]:3310'))).toEqual({ host: '::1', port: 3310 });
    expect(instanceKey('::1', 3306)).toBe('[::1]:3306');
  });

  it('rejects malformed input with invalid_argument naming it', () => {
    for (const bad of ['', 'db1:0', 'db1:70000', 'a b:1', 'db1:x']) {
      let error: unknown;
      try {
        parseInstanceKey(bad);
      } catch (e) {
        error = e;
      }
      expect(isTopologyError(error, 'INVALID_ARGUMENT')).toBe(true);
    }
  });

  it("serializes as orchestrator's { Hostname, Port }", () => {
    expect(toOrchestratorKey(parseInstanceKey('db1:3306'))).toEqual({ Hostname: 'db1', Port: 3306 });
    expect(toOrchestratorKey(null)).toEqual({ Hostname: '', Port: 0 });
  });
});
