// orc-client against a real orc daemon (SQLite, no MySQL servers) with orchestrator's basic
// authentication: the leader found from a list holding a dead URL, a 401 explained, credentials
// from -b and from the environment, a read-only caller refused with the daemon's message.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { runClientProcess, startDaemon, type Daemon } from './support/processes.js';
import { waitFor } from '@orc/testkit';

let orc: Daemon;

beforeAll(async () => {
  orc = await startDaemon({
    BackendDB: 'sqlite',
    AuthenticationMethod: 'multi',
    HTTPAuthUser: 'orc',
    HTTPAuthPassword: 'secret',
  });
  // A single node answers leader-check 200 once it holds its own lease.
  await waitFor('the daemon is the leader', async () => (await fetch(`${orc.url}/api/leader-check`)).status === 200, {
    timeoutMs: 60_000,
    intervalMs: 200,
  });
}, 120_000);

afterAll(async () => {
  expect(await orc?.stop()).toBe(0);
}, 60_000);

describe('orc-client against a daemon with basic auth', () => {
  it('finds the daemon in a list whose first URL is dead', async () => {
    const run = await runClientProcess(['-c', 'which-api'], { ORCHESTRATOR_API: `http://127.0.0.1:1 ${orc.url}/` });
    expect(run).toEqual({ code: 0, out: `${orc.url}/api\n`, err: '' });
  });

  it('says that authentication is required', async () => {
    const run = await runClientProcess(['-c', 'clusters'], { ORCHESTRATOR_API: orc.url });
    expect(run.code).toBe(1);
    expect(run.out).toBe('');
    expect(run.err).toBe(
      `orc-client[${/\[(\d+)\]/.exec(run.err)?.[1]}]: orchestrator at ${orc.url}/api/clusters-info requires authentication (HTTP 401): give -b user:password, set ORCHESTRATOR_AUTH_USER and ORCHESTRATOR_AUTH_PASSWORD, or -e 'Header: user'\n`,
    );
  });

  it('says that the credentials were refused', async () => {
    const run = await runClientProcess(['-c', 'clusters', '-b', 'orc:wrong'], { ORCHESTRATOR_API: orc.url });
    expect(run.code).toBe(1);
    expect(run.err).toMatch(/refused the credentials given \(HTTP 401\)/);
  });

  it('passes credentials from -b and from the environment', async () => {
    expect(
      await runClientProcess(['-c', 'check-global-recoveries', '-b', 'orc:secret'], { ORCHESTRATOR_API: orc.url }),
    ).toEqual({
      code: 0,
      out: 'enabled\n',
      err: '',
    });
    const fromEnv = await runClientProcess(['-c', 'clusters'], {
      ORCHESTRATOR_API: orc.url,
      ORCHESTRATOR_AUTH_USER: 'orc',
      ORCHESTRATOR_AUTH_PASSWORD: 'secret',
    });
    expect(fromEnv).toEqual({ code: 0, out: '', err: '' });
  });

  it("prints the daemon's refusal of a read-only caller, exit 1", async () => {
    const run = await runClientProcess(['-c', 'disable-global-recoveries', '-b', 'readonly:any'], {
      ORCHESTRATOR_API: orc.url,
    });
    expect(run.code).toBe(1);
    expect(run.err).toBe('Forbidden: user readonly may only read\n');
    expect(run.out).toBe('[ { "path": "authorization", "message": "user \\"readonly\\" may only read" } ]\n');
  });
});
