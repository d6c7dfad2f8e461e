import { describe, expect, it } from '@jest/globals';
import { buildDaemonConfig } from './build.js';
import { loadConfig, NO_FILE_LISTEN_ADDRESS, type ConfigFiles } from './load.js';
import { orchestratorKeys } from './orchestrator-keys.js';
import { formatProblems, REDACTED, redactValues } from './problems.js';

const files = (map: Record<string, string>): ConfigFiles => ({
  exists: (p) => p in map,
  readFile: (p) => {
    const text = map[p];
    if (text === undefined) throw new Error(`ENOENT ${p}`);
    return text;
  },
});
const io = { readFile: (p: string): string => `pem of ${p}` };

describe('loadConfig', () => {
  it('gives a working default with no file at all: SQLite in the data dir, loopback HTTP', () => {
    const loaded = loadConfig({ env: {}, files: files({}) });
    expect(loaded.problems).toEqual([]);
    expect(loaded.file).toBeUndefined();
    expect(loaded.values['ListenAddress']).toBe(NO_FILE_LISTEN_ADDRESS);
    const built = buildDaemonConfig(loaded.values, io);
    if ('problems' in built) throw new Error(formatProblems(built.problems));
    expect(built.server).toMatchObject({ listenHost: '127.0.0.1', listenPort: 3000 });
    expect(built.backend).toEqual({ dialect: 'sqlite', sqlite: { file: 'orc-data/orc.sqlite3', busyTimeoutMs: 5000 } });
  });

  it('keeps orchestrator\'s ":3000" (every interface) when a file is given', () => {
    const loaded = loadConfig({ configPath: 'a.json', env: {}, files: files({ 'a.json': '{"BackendDB": "sqlite"}' }) });
    const built = buildDaemonConfig(loaded.values, io);
    if ('problems' in built) throw new Error(formatProblems(built.problems));
    expect(built.server.listenHost).toBe('0.0.0.0');
  });

  it("finds orchestrator's search paths in order", () => {
    const loaded = loadConfig({
      env: {},
      files: files({ 'conf/orchestrator.conf.json': '{"InstancePollSeconds": 2}', 'orchestrator.conf.json': '{}' }),
    });
    expect(loaded.file).toBe('conf/orchestrator.conf.json');
    expect(loaded.values['InstancePollSeconds']).toBe(2);
  });

  it('reports every mistake at once, each with its key', () => {
    const text = JSON.stringify({
      InstancePollSeconds: '5s',
      ListenAddress: 'localhost',
      AuthenticationMethod: 'token',
    });
    const loaded = loadConfig({ configPath: 'c.json', env: {}, files: files({ 'c.json': text }) });
    expect(loaded.problems).toEqual([
      { path: 'InstancePollSeconds', message: 'must be a positive integer, got "5s"' },
      { path: 'ListenAddress', message: 'must be "host:port" or ":port" with a port 1-65535, got "localhost"' },
      { path: 'AuthenticationMethod', message: 'must be one of , basic, multi, proxy, got "token"' },
    ]);
    expect(formatProblems(loaded.problems).split('\n')).toHaveLength(4);
  });

  it('warns about an unknown key with the closest known one', () => {
    const loaded = loadConfig({
      configPath: 'c.json',
      env: {},
      files: files({ 'c.json': '{"InstancePolSeconds": 1, "AgentsServerPort": ":3001"}' }),
    });
    expect(loaded.problems).toEqual([]);
    expect(loaded.warnings).toEqual([
      'unknown key "InstancePolSeconds" in c.json ignored; did you mean "InstancePollSeconds"?',
      'unknown key "AgentsServerPort" in c.json ignored (orc does not read it)',
    ]);
  });

  it('names a missing --config file and a file that is not JSON', () => {
    expect(loadConfig({ configPath: 'gone.json', env: {}, files: files({}) }).problems).toEqual([
      { path: '--config', message: 'no such file: gone.json' },
    ]);
    const bad = loadConfig({ configPath: 'b.json', env: {}, files: files({ 'b.json': '{"a":' }) });
    expect(bad.problems[0]?.path).toBe('b.json');
  });

  it('takes ORC_<Key> overrides, typed by the key, and ignores UPPER_SNAKE variables', () => {
    const loaded = loadConfig({
      env: {
        ORC_InstancePollSeconds: '1',
        ORC_DiscoverySeeds: '["127.0.0.1:3306"]',
        ORC_MySQLTopologyPassword: '123',
        ORC_SKIP_SERVICES: '1',
        ORC_InstancePollSecond: '1',
      },
      files: files({}),
    });
    expect(loaded.problems).toEqual([]);
    expect(loaded.values['InstancePollSeconds']).toBe(1);
    expect(loaded.values['DiscoverySeeds']).toEqual(['127.0.0.1:3306']);
    expect(loaded.values['MySQLTopologyPassword']).toBe('123');
    expect(loaded.warnings).toEqual([
      'unknown key "InstancePollSecond" in environment variable ORC_InstancePollSecond ignored; did you mean "InstancePollSeconds"?',
    ]);
  });

  it('names the environment variable of a bad override', () => {
    const loaded = loadConfig({ env: { ORC_InstancePollSeconds: 'fast' }, files: files({}) });
    expect(loaded.problems).toEqual([
      {
        path: 'InstancePollSeconds',
        message: 'must be a positive integer, got "fast" (from environment variable ORC_InstancePollSeconds)',
      },
    ]);
  });

  it('never quotes a secret in a problem, and redacts secrets in a dump', () => {
    const loaded = loadConfig({
      configPath: 'c.json',
      env: {},
      files: files({ 'c.json': '{"HTTPAuthPassword": 12345}' }),
    });
    expect(loaded.problems).toEqual([{ path: 'HTTPAuthPassword', message: `must be a string, got ${REDACTED}` }]);
    const dump = redactValues(
      { HTTPAuthPassword: 'hunter2', MySQLTopologyPassword: '', ListenAddress: ':3000' },
      orchestratorKeys,
    );
    expect(dump).toEqual({ HTTPAuthPassword: REDACTED, MySQLTopologyPassword: '', ListenAddress: ':3000' });
  });

  it("maps a package validator's complaint back to the key", () => {
    const loaded = loadConfig({ configPath: 'c.json', env: {}, files: files({ 'c.json': '{"BackendDB": "mysql"}' }) });
    const built = buildDaemonConfig(loaded.values, io);
    expect('problems' in built && built.problems.map((p) => p.path)).toEqual([
      'MySQLOrchestratorHost',
      'MySQLOrchestratorUser',
      'MySQLOrchestratorDatabase',
    ]);
  });
});
