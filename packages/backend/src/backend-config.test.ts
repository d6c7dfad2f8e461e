import { describe, it, expect } from '@jest/globals';
import { thrownBy } from '@orc/testkit';
import { BackendError } from './errors.js';
import { validateBackendConfig, type BackendConfigInput } from './backend-config.js';

const isBackendError = (err: unknown): err is BackendError => err instanceof BackendError;
const rejection = (input: unknown): BackendError =>
  thrownBy(() => validateBackendConfig(input as BackendConfigInput), isBackendError);

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
        connectionLifetimeMs: 0,
      },
    });
  });

  it('reports every problem at once in details, each with its path', () => {
    const e = rejection({
      dialect: 'mysql',
      mysql: { port: 70000, database: 'bad name', poolSize: 0, password: 3, connectionLifetimeMs: -1 },
    });
    expect(e.code).toBe('INVALID_CONFIG');
    expect(e.retryable).toBe(false);
    expect(e.details.map((p) => p.path)).toEqual([
      'mysql.host',
      'mysql.port',
      'mysql.user',
      'mysql.password',
      'mysql.database',
      'mysql.poolSize',
      'mysql.connectionLifetimeMs',
    ]);
    expect(e.details.find((d) => d.path === 'mysql.port')?.message).toBe('must be at most 65535, got 70000');
    expect(e.message).toContain('mysql.poolSize: must be a positive integer, got 0');
  });

  it('names a missing SQLite file, a wrong section and an unknown dialect', () => {
    expect(rejection({ dialect: 'sqlite' }).details).toEqual([
      { path: 'sqlite.file', message: 'required: a file path or ":memory:"' },
    ]);
    expect(rejection({ dialect: 'sqlite', sqlite: 'orc.db' }).details.map((d) => d.path)).toEqual([
      'sqlite',
      'sqlite.file',
    ]);
    expect(rejection({ dialect: 'postgres' }).details).toEqual([
      { path: 'dialect', message: 'must be "sqlite" or "mysql", got "postgres"' },
    ]);
    expect(rejection(null).details).toEqual([{ path: '', message: 'must be an object, got null' }]);
  });

  it('accepts a connection lifetime of 0 (no limit) and a positive one', () => {
    const base = { host: 'db', user: 'orc', database: 'orc' };
    const withLifetime = validateBackendConfig({ dialect: 'mysql', mysql: { ...base, connectionLifetimeMs: 60_000 } });
    expect(withLifetime.dialect === 'mysql' && withLifetime.mysql.connectionLifetimeMs).toBe(60_000);
  });
});
