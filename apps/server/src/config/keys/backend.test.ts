import { describe, expect, it } from '@jest/globals';
import { BackendError, validateBackendConfig } from '@orc/backend';
import type { ConfigIo, KeyValues } from '../key-spec.js';
import { defaultsWith, files, noFiles, refusal } from './key-test-support.js';
import { backendKeys, buildBackendConfig } from './backend.js';

const values = (overrides: KeyValues = {}): KeyValues => defaultsWith(backendKeys, overrides);

describe('backend keys', () => {
  it("keeps orchestrator's names and defaults, each default passing its own check", () => {
    const byKey = new Map(backendKeys.map((k) => [k.key, k]));
    expect(Object.fromEntries([...byKey].map(([key, k]) => [key, k.default]))).toEqual({
      BackendDB: 'mysql',
      SQLite3DataFile: '',
      MySQLOrchestratorHost: '',
      MySQLOrchestratorPort: 3306,
      MySQLOrchestratorDatabase: '',
      MySQLOrchestratorUser: '',
      MySQLOrchestratorPassword: '',
      MySQLOrchestratorCredentialsConfigFile: '',
      MySQLOrchestratorMaxPoolConnections: 128,
      MySQLOrchestratorReadTimeoutSeconds: 30,
      MySQLConnectionLifetimeSeconds: 0,
      SkipOrchestratorDatabaseUpdate: false,
      PanicIfDifferentDatabaseDeploy: false,
    });
    for (const k of backendKeys) {
      expect([k.key, k.owner, k.check(k.default)]).toEqual([k.key, 'backend', undefined]);
    }
    expect(backendKeys.filter((k) => k.secret === true).map((k) => k.key)).toEqual(['MySQLOrchestratorPassword']);
  });

  it('checks values: unknown BackendDB, bad port, and a true orc cannot honour', () => {
    const check = (key: string, v: unknown) => backendKeys.find((k) => k.key === key)?.check(v);
    expect(check('BackendDB', 'postgres')).toMatch(/must be one of mysql, sqlite, sqlite3/);
    expect(check('MySQLOrchestratorPort', 0)).toMatch(/port number/);
    expect(check('MySQLConnectionLifetimeSeconds', -1)).toMatch(/non-negative/);
    expect(check('SkipOrchestratorDatabaseUpdate', true)).toMatch(/true is not supported/);
    expect(check('PanicIfDifferentDatabaseDeploy', 'yes')).toMatch(/must be true or false/);
  });
});

describe('buildBackendConfig', () => {
  it('maps the MySQL keys to camelCase fields, seconds to milliseconds', () => {
    const input = buildBackendConfig(
      values({
        MySQLOrchestratorHost: 'db.internal',
        MySQLOrchestratorPort: 3307,
        MySQLOrchestratorDatabase: 'orchestrator',
        MySQLOrchestratorUser: 'orc',
        MySQLOrchestratorPassword: 's3cret',
        MySQLConnectionLifetimeSeconds: 60,
        MySQLConnectTimeoutSeconds: 3,
      }),
      noFiles,
    );
    expect(validateBackendConfig(input)).toEqual({
      dialect: 'mysql',
      mysql: {
        host: 'db.internal',
        port: 3307,
        user: 'orc',
        password: 's3cret',
        database: 'orchestrator',
        poolSize: 128,
        connectTimeoutMs: 3000,
        queryTimeoutMs: 30_000,
        connectionLifetimeMs: 60_000,
      },
    });
  });

  it("uses orchestrator's 2 s connect timeout when the topology rows are absent", () => {
    const input = buildBackendConfig(values({ MySQLOrchestratorHost: 'h' }), noFiles);
    expect(input.mysql?.connectTimeoutMs).toBe(2000);
  });

  it('reads SQLite settings, "sqlite3" meaning "sqlite", and falls back to <DataDir>/orc.sqlite3', () => {
    expect(buildBackendConfig(values({ BackendDB: 'sqlite3', SQLite3DataFile: '/var/lib/orc.db' }), noFiles)).toEqual({
      dialect: 'sqlite',
      sqlite: { file: '/var/lib/orc.db' },
    });
    expect(buildBackendConfig(values({ BackendDB: 'sqlite', DataDir: '/data' }), noFiles)).toEqual({
      dialect: 'sqlite',
      sqlite: { file: '/data/orc.sqlite3' },
    });
    // Without either, the validator names the missing file.
    const e = refusal(BackendError, () =>
      validateBackendConfig(buildBackendConfig(values({ BackendDB: 'sqlite' }), noFiles)),
    );
    expect(e.details.map((d) => d.path)).toEqual(['sqlite.file']);
  });

  it('lets the validator report every missing MySQL field of an empty config', () => {
    const e = refusal(BackendError, () => validateBackendConfig(buildBackendConfig(values(), noFiles)));
    expect(e.details.map((d) => d.path)).toEqual(['mysql.host', 'mysql.user', 'mysql.database']);
  });

  it("takes user and password from the credentials file's [client] section, over the keys", () => {
    const io = files({
      '/etc/orc/creds.cnf': [
        '# orc backend credentials',
        '[mysqld]',
        'user = not-this-one',
        '',
        '[Client]',
        'User = orc_backend   ; trailing comment',
        'password = "p;a#s s\\"word"',
        '[mysql]',
        'password = other',
      ].join('\n'),
    });
    const input = buildBackendConfig(
      values({
        MySQLOrchestratorUser: 'ignored',
        MySQLOrchestratorPassword: 'ignored',
        MySQLOrchestratorCredentialsConfigFile: '/etc/orc/creds.cnf',
      }),
      io,
    );
    expect(input.mysql).toMatchObject({ user: 'orc_backend', password: 'p;a#s s"word' });
  });

  it('names the credentials file when it cannot be read, lacks a user, or does not parse', () => {
    const build = (io: ConfigIo) => () =>
      buildBackendConfig(values({ MySQLOrchestratorCredentialsConfigFile: '/c.cnf' }), io);
    const unreadable = refusal(BackendError, build(files({})));
    expect(unreadable.code).toBe('INVALID_CONFIG');
    expect(unreadable.details).toEqual([
      { path: 'MySQLOrchestratorCredentialsConfigFile', message: expect.stringContaining('cannot read /c.cnf') },
    ]);
    expect(refusal(BackendError, build(files({ '/c.cnf': '[client]\npassword = x\n' }))).details[0]?.message).toMatch(
      /no user= in its \[client\] section/,
    );
    expect(refusal(BackendError, build(files({ '/c.cnf': 'user = x\n' }))).details[0]?.message).toMatch(
      /line 1: a variable before/,
    );
    expect(refusal(BackendError, build(files({ '/c.cnf': '[client]\nuser = "x\n' }))).details[0]?.message).toMatch(
      /line 2: unterminated quote/,
    );
  });
});
