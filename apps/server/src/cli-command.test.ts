import { describe, expect, it } from '@jest/globals';
import { cliRequest } from './cli-command.js';

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

  it('names what is missing or unknown', () => {
    expect(() => cliRequest(['discover'])).toThrow('discover: -i host:port is required');
    expect(() => cliRequest(['begin-downtime', '-i', 'db1'])).toThrow('-r reason is required');
    expect(() => cliRequest(['relocate'])).toThrow('unknown command "relocate"');
    expect(() => cliRequest(['discover', '-i', 'a/b'])).toThrow('-i must be host or host:port');
  });
});
