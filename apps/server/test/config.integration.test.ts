// The daemon's start-up with a broken or odd config, as an operator sees it on the terminal.
import { describe, expect, it } from '@jest/globals';
import { startDaemonProcess } from './support/daemon-process.js';

describe('orc --config', () => {
  it('prints every problem of a config with three mistakes, each with its key, and exits 2', async () => {
    const orc = await startDaemonProcess({
      config: { InstancePollSeconds: '5s', DefaultInstancePort: 70000, AuthenticationMethod: 'token' },
      waitHealthy: false,
    });
    expect(await orc.exited).toBe(2);
    const lines = orc.stderr().trim().split('\n');
    expect(lines).toEqual([
      'orc: the configuration has 3 problems:',
      '  InstancePollSeconds: must be a positive integer, got "5s"',
      '  DefaultInstancePort: must be a port number 1-65535, got 70000',
      '  AuthenticationMethod: must be one of , basic, multi, proxy, got "token"',
    ]);
    await orc.stop();
  }, 120_000);

  it('names a file that is not JSON and exits 2', async () => {
    const orc = await startDaemonProcess({ configText: '{"InstancePollSeconds": 1,', waitHealthy: false });
    expect(await orc.exited).toBe(2);
    expect(orc.stderr()).toMatch(/orc\.conf\.json: is not valid JSON/);
    await orc.stop();
  }, 120_000);

  it("warns about a typo'd key with its suggestion, starts anyway, and stops cleanly on SIGTERM", async () => {
    const orc = await startDaemonProcess({
      config: { BackendDB: 'sqlite', InstancePolSeconds: 1, MySQLTopologyPasword: 'x' },
    });
    expect(orc.stderr()).toContain(
      'unknown key "InstancePolSeconds" in orc.conf.json ignored; did you mean "InstancePollSeconds"?',
    );
    expect(orc.stderr()).toContain('did you mean "MySQLTopologyPassword"?');
    expect(await orc.stop()).toBe(0);
  }, 120_000);

  it('runs with no config file at all: SQLite in ./orc-data, loopback HTTP', async () => {
    const orc = await startDaemonProcess({ env: {} });
    const health = (await orc.get('/api/health')).body as { Details: { Healthy: boolean; IsActiveNode: boolean } };
    expect(health.Details).toMatchObject({ Healthy: true, IsActiveNode: true });
    expect(orc.stdout()).toContain('"backend":"sqlite"');
    expect(await orc.stop()).toBe(0);
  }, 120_000);

  it('bails out naming the MySQL backend it cannot reach', async () => {
    const orc = await startDaemonProcess({
      config: {
        BackendDB: 'mysql',
        MySQLOrchestratorHost: '127.0.0.1',
        MySQLOrchestratorPort: 1,
        MySQLOrchestratorUser: 'orc',
        MySQLOrchestratorPassword: 'never-printed',
        MySQLOrchestratorDatabase: 'orchestrator',
        BackendUnreachableSeconds: 2,
      },
      waitHealthy: false,
    });
    expect(await orc.exited).toBe(1);
    expect(orc.stderr()).toMatch(/cannot open the backend \(mysql orc@127\.0\.0\.1:1\/orchestrator\)/);
    expect(orc.stderr() + orc.stdout()).not.toContain('never-printed');
    await orc.stop();
  }, 120_000);
});
