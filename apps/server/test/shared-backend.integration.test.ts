// Two daemons sharing one MariaDB backend: exactly one is active at every sample; when it is
// killed -9, the other takes over within the lease bound.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startMariaDb, type MariaDbInstance } from '@orc/testenv';
import { waitFor } from '@orc/testkit';
import { startDaemonProcess, type DaemonProcess } from './support/daemon-process.js';

let backend: MariaDbInstance;
const daemons: DaemonProcess[] = [];

beforeAll(async () => {
  backend = await startMariaDb({ name: 'backend' });
  const config = {
    BackendDB: 'mysql',
    MySQLOrchestratorHost: '127.0.0.1',
    MySQLOrchestratorPort: backend.port,
    MySQLOrchestratorUser: 'root',
    MySQLOrchestratorPassword: 'testenv',
    MySQLOrchestratorDatabase: 'orc_shared',
    ActiveNodeExpireSeconds: 3,
  };
  // One after the other: both would otherwise race to create the schema.
  daemons.push(await startDaemonProcess({ config }));
  daemons.push(await startDaemonProcess({ config }));
}, 120_000);

afterAll(async () => {
  for (const d of daemons) await d.stop();
  await backend?.destroy();
}, 60_000);

const activeOnes = async (live: readonly DaemonProcess[]): Promise<DaemonProcess[]> => {
  const codes = await Promise.all(live.map(async (d) => (await d.get('/api/leader-check')).status));
  for (const c of codes) expect([200, 404]).toContain(c);
  return live.filter((_, i) => codes[i] === 200);
};

describe('shared backend', () => {
  it('has exactly one active node at every sample, and a survivor takes over after kill -9', async () => {
    const first = await waitFor('one node is active', async () => {
      const active = await activeOnes(daemons);
      return active.length === 1 ? active[0] : undefined;
    });
    for (let sample = 0; sample < 20; sample++) expect(await activeOnes(daemons)).toHaveLength(1);
    const other = daemons.find((d) => d !== first);
    if (first === undefined || other === undefined) throw new Error('two daemons expected');
    // Recoveries run on the active node only: the standby refuses them, naming why.
    for (const url of ['/api/recover/127.0.0.1/3306', '/api/graceful-master-takeover/main']) {
      const refused = await other.get(url);
      expect([url, refused.status]).toEqual([url, 503]);
      expect((refused.body as { Message: string }).Message).toMatch(/^recoveries run on the active node only; /);
    }
    first.child.kill('SIGKILL');
    await first.exited;
    await waitFor('the survivor becomes active', async () => (await other.get('/api/leader-check')).status === 200, {
      timeoutMs: 20_000,
      intervalMs: 100,
    });
    const health = (await other.get('/api/health')).body as { Details: { IsActiveNode: boolean } };
    expect(health.Details.IsActiveNode).toBe(true);
  }, 120_000);
});
