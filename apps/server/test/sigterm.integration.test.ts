// SIGTERM while the daemon is still discovering a fleet of 1,000 fake servers: it stops cleanly
// (exit 0, which main.ts only returns when shutdown finished inside its 10 s bound) and leaves a
// SQLite backend that opens with whole rows.
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { waitFor } from '@orc/testkit';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { startDaemonProcess, type DaemonProcess } from './support/daemon-process.js';
import { startFakeFleet, type FakeFleet } from './support/fake-fleet.js';

let fleet: FakeFleet;
let orc: DaemonProcess;
let dataDir: string;

beforeAll(async () => {
  fleet = await startFakeFleet(200);
  dataDir = mkdtempSync(join(tmpdir(), 'orc-sigterm-'));
}, 120_000);

afterAll(async () => {
  if (orc !== undefined && orc.child.exitCode === null) orc.child.kill('SIGKILL');
  await fleet?.stop();
  rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

interface Row {
  hostname: string;
  port: number;
  server_id: number;
  version: string;
  cluster_name: string;
  last_checked: number;
  last_seen: number;
}

const knownInstances = async (): Promise<number> => {
  const res = await orc.get('/api/clusters-info');
  return (res.body as { CountInstances: number }[]).reduce((n, c) => n + c.CountInstances, 0);
};

it('exits 0 on SIGTERM during discovery of 1,000 servers, leaving a consistent SQLite backend', async () => {
  expect(fleet.servers).toBe(1000);
  orc = await startDaemonProcess({
    config: {
      BackendDB: 'sqlite',
      DataDir: dataDir,
      MySQLTopologyUser: 'orc',
      MySQLTopologyPassword: 'orc',
      DiscoverySeeds: fleet.seeds,
    },
  });
  const known = await waitFor('discovery is under way', async () => {
    const n = await knownInstances();
    return n > 0 ? n : undefined;
  });
  expect(known).toBeLessThan(fleet.servers);

  orc.child.kill('SIGTERM');
  const code = await orc.exited;
  const log = orc.stdout();
  expect({ code, stderr: orc.stderr() }).toEqual({ code: 0, stderr: '' });
  const messages = log
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { msg: string; reason?: string });
  expect(messages).toContainEqual(expect.objectContaining({ msg: 'stopped', reason: 'SIGTERM' }));
  expect(messages.map((m) => m.msg)).not.toContain('orc did not stop in time; exiting');

  const file = join(dataDir, 'orc.sqlite3');
  // A clean close checkpoints the write-ahead log into the database and removes it.
  expect(existsSync(`${file}-wal`)).toBe(false);
  const db = new DatabaseSync(file, { readOnly: true });
  try {
    expect(db.prepare('PRAGMA integrity_check').all()).toEqual([{ integrity_check: 'ok' }]);
    expect(db.prepare('PRAGMA foreign_key_check').all()).toEqual([]);
    const rows = db
      .prepare(
        'SELECT hostname, port, server_id, version, cluster_name, last_checked, last_seen FROM database_instance',
      )
      .all() as unknown as Row[];
    expect(rows.length).toBeLessThanOrEqual(fleet.servers);
    expect(rows.filter((r) => !/^127\.20\.\d+\.\d+$/.test(r.hostname) || r.port !== rows[0]?.port)).toEqual([]);
    // A replica named by its primary but not probed yet is a row with only its key (last_seen 0);
    // a probed one must carry everything its probe read.
    const probed = rows.filter((r) => Number(r.last_seen) > 0);
    expect(probed.length).toBeGreaterThan(0);
    const partial = probed.filter(
      (r) =>
        !(Number(r.server_id) > 0) ||
        !r.version.startsWith('10.11.6') ||
        r.cluster_name === '' ||
        Number(r.last_checked) < Number(r.last_seen),
    );
    expect(partial).toEqual([]);
  } finally {
    db.close();
  }
}, 180_000);
