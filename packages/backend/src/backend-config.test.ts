import { describe, it, expect } from '@jest/globals';
import { BackendError } from './errors.js';
import { validateBackendConfig } from './backend-config.js';

describe('validateBackendConfig', () => {
  it('fills defaults for SQLite and MySQL', () => {
    expect(validateBackendConfig({ sqlite: { file: ':memory:' } })).toEqual({
      dialect: 'sqlite',
      sqlite: { file: ':memory:', busyTimeoutMs: 5000 },
    });
    expect(
      validateBackendConfig({ dialect: 'mysql', mysql: { host: 'db', user: 'orc', database: 'orchestrator' } }),
    ).toEqual({
      dialect: 'mysql',
      mysql: {
        host: 'db',
        port: 3306,
        user: 'orc',
        password: '',
        database: 'orchestrator',
        poolSize: 10,
        connectTimeoutMs: 5000,
        queryTimeoutMs: 30_000,
      },
    });
  });

  it('reports every problem at once, with its path', () => {
    let err: unknown;
    try {
      validateBackendConfig({
        dialect: 'mysql',
        mysql: { port: 70000, database: 'bad name', poolSize: 0, password: 3 },
      });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(BackendError);
    const e = err as BackendError;
    expect(e.code).toBe('invalid-config');
    expect(e.retryable).toBe(false);
    expect(e.problems.map((p) => p.path)).toEqual([
      'mysql.host',
      'mysql.port',
      'mysql.user',
      'mysql.password',
      'mysql.database',
      'mysql.poolSize',
    ]);
  });

  it('names a missing SQLite file and an unknown dialect', () => {
    expect(() => validateBackendConfig({ dialect: 'sqlite' })).toThrow(/sqlite\.file/);
    expect(() => validateBackendConfig({ dialect: 'postgres' })).toThrow(/dialect: must be "sqlite" or "mysql"/);
  });
});
