import { describe, it, expect } from '@jest/globals';
import { TestEnvError } from '../errors.js';
import { validateMariaDbOptions } from './mariadb-config.js';

describe('validateMariaDbOptions', () => {
  it('fills defaults', () => {
    const o = validateMariaDbOptions();
    expect(o.name).toBe('mariadb');
    expect(o.mariadbdPath).toBe('/usr/sbin/mariadbd');
    expect(o.installDbPath).toBe('/usr/bin/mariadb-install-db');
    expect(o.readOnly).toBe(false);
    expect(o.port).toBeUndefined();
    expect(o.baseDir).toMatch(/orc-testenv$/);
  });

  it('reports every bad field at once', () => {
    let err: unknown;
    try {
      validateMariaDbOptions({ name: '../x', port: 70000, serverId: 0, startTimeoutMs: -1, extraArgs: ['no-dashes'] });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(TestEnvError);
    const message = (err as TestEnvError).message;
    for (const field of ['name', 'port', 'serverId', 'startTimeoutMs', 'extraArgs'])
      expect(message).toContain(`${field}:`);
    expect((err as TestEnvError).code).toBe('INVALID_CONFIG');
    expect((err as TestEnvError).details.map((d) => d.path).sort()).toEqual(
      ['extraArgs', 'name', 'port', 'serverId', 'startTimeoutMs'].sort(),
    );
    for (const d of (err as TestEnvError).details) expect(d.message).not.toBe('');
    expect((err as TestEnvError).retryable).toBe(false);
  });
});
