// SIGTERM while the daemon is still discovering a fleet of 1,000 fake servers: it stops cleanly
// (exit 0, which main.ts only returns when shutdown finished inside its 10 s bound) and leaves a
// SQLite backend that opens with whole rows.
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { waitFor } from '@orc/testkit';
import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.pragma('foreign_key_check')).toEqual([]);
    const rows = db.prepare('SELECT hostname, port, server_id, version, cluster_name FROM database_instance').all() as {
      hostname: string;
      port: number;
      server_id: number;
      version: string;
      cluster_name: string;
    }[];
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThanOrEqual(fleet.servers);
    const partial = rows.filter(
      (r) =>
        !/^127\.20\.\d+\.\d+$/.test(r.hostname) ||
        !(r.port > 0 && r.port < 65536) ||
        !(r.server_id > 0) ||
        !r.version.startsWith('10.11.6') ||
        r.cluster_name === '',
    );
    expect(partial).toEqual([]);
  } finally {
    db.close();
  }
}, 180_000);
