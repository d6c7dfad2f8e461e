// The manual refactoring operations on real MariaDB 1+2 (p -> r1, r2) plus a lone server in
// another cluster: every move is verified on the servers (SHOW SLAVE STATUS, a row written on
// the primary arriving), and every refusal leaves replication exactly as it was.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { MariaDbInstance, MariaDbTopology } from '@orc/testenv';
import { startMariaDbTopology } from '@orc/testenv';
import { waitFor } from '@orc/testkit';
import type { InstanceKey } from '../src/index.js';
import { isTopologyError, Mysql2Connector, RefactorOps, systemClock } from '../src/index.js';
import { idsOn, replicaStatus, startRecoveryWorld, type RecoveryWorld } from './recovery-harness.js';

let world: RecoveryWorld;
let other: MariaDbTopology;
let ops: RefactorOps;
let p: MariaDbInstance;
let r1: MariaDbInstance;
let r2: MariaDbInstance;
let nextId = 1;

beforeAll(async () => {
  [world, other] = await Promise.all([
    startRecoveryWorld('1+2', { name: 'refactor' }),
    startMariaDbTopology({ shape: '1', name: 'refactor-other' }),
  ]);
  [p, r1, r2] = [world.servers.instance('p'), world.servers.instance('r1'), world.servers.instance('r2')];
  await world.topology.discover(world.keyOf(other.primary));
  const connector = new Mysql2Connector({
    user: world.servers.orcUser.user,
    password: world.servers.orcUser.password,
    connectTimeoutMs: 2000,
    statementTimeoutMs: 10_000,
    clock: systemClock,
  });
  ops = new RefactorOps({ connector, clock: systemClock, topology: world.topology, verifySeconds: 30 });
  await p.query('CREATE DATABASE IF NOT EXISTS t; CREATE TABLE IF NOT EXISTS t.w (id INT PRIMARY KEY, at DATETIME(6))');
  await world.servers.waitCaughtUp();
}, 180_000);
afterAll(async () => {
  await world?.close();
  await other?.stop();
}, 60_000);

const key = (s: MariaDbInstance): InstanceKey => world.keyOf(s);

/** Where a server replicates from, as `port IO/SQL`, or 'none'. */
async function replicationOf(s: MariaDbInstance): Promise<string> {
  const r = await replicaStatus(s);
  if (r === undefined) return 'none';
  return `${String(r['Master_Host'])}:${String(r['Master_Port'])} ${String(r['Slave_IO_Running'])}/${String(r['Slave_SQL_Running'])}`;
}
const running = (source: MariaDbInstance): string => `${source.host}:${source.port} Yes/Yes`;

/** A row written on p reaches every server named. */
async function rowArrives(...on: MariaDbInstance[]): Promise<void> {
  const id = nextId++;
  await p.query(`INSERT INTO t.w VALUES (${id}, NOW(6))`);
  for (const s of on)
    await waitFor(`row ${id} on ${s.name}`, async () => (await idsOn(s)).has(id), { timeoutMs: 30_000 });
}

/** Discovery re-reads the servers an operation changed, as the daemon does after each one. */
async function rediscover(...servers: MariaDbInstance[]): Promise<void> {
  for (const s of servers) await world.topology.discover(key(s));
}

async function expectRefused(act: () => Promise<unknown>, code: string, path: string, says: string): Promise<void> {
  const before = await Promise.all([p, r1, r2].map(replicationOf));
  const error = await act().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isTopologyError(error) && { code: error.code, path: error.details[0]?.path }).toEqual({ code, path });
  expect(String((error as Error).message)).toContain(says);
  expect(await Promise.all([p, r1, r2].map(replicationOf))).toEqual(before);
}

describe('refactoring operations on MariaDB', () => {
  it('relocates r2 below r1 and back, each move verified by a row that arrives', async () => {
    const done = await ops.relocate(key(r2), key(r1));
    expect(done.source).toBe(key(r1));
    expect(await replicationOf(r2)).toBe(running(r1));
    await rowArrives(r1, r2);
    await rediscover(r2);
    expect(world.topology.instance(key(r2))?.masterKey).toBe(key(r1));
    const back = await ops.relocate(key(r2), key(p));
    expect(back.source).toBe(key(p));
    expect(await replicationOf(r2)).toBe(running(p));
    await rowArrives(r1, r2);
    await rediscover(r2);
  }, 120_000);

  it('refuses a move below itself, to itself, into another cluster or to an unknown server, changing nothing', async () => {
    await expectRefused(() => ops.relocate(key(r1), key(r1)), 'OPERATION_REFUSED', 'below', 'from itself');
    await expectRefused(
      () => ops.relocate(key(p), key(r1)),
      'OPERATION_REFUSED',
      'below',
      'below the instance being moved',
    );
    await expectRefused(() => ops.relocate(key(r1), key(other.primary)), 'OPERATION_REFUSED', 'below', 'is in cluster');
    await expectRefused(() => ops.repoint(key(r1), key(r1)), 'OPERATION_REFUSED', 'below', 'from itself');
    await expectRefused(() => ops.moveUp(key(r1)), 'OPERATION_REFUSED', 'key', 'no level above it');
    await expectRefused(() => ops.takeMaster(key(r1)), 'OPERATION_REFUSED', 'key', 'graceful-master-takeover');
    await expectRefused(
      () => ops.relocate(key(r1), 'db-unknown:3306' as InstanceKey),
      'UNKNOWN_INSTANCE',
      'below',
      'not a known instance',
    );
  }, 120_000);

  it('take-master swaps r2 with r1, then move-up brings r1 back below p', async () => {
    await ops.relocate(key(r2), key(r1));
    await rediscover(r2);
    const took = await ops.takeMaster(key(r2));
    expect(took.changed).toEqual([key(r2), key(r1)]);
    expect(await replicationOf(r2)).toBe(running(p));
    expect(await replicationOf(r1)).toBe(running(r2));
    await rowArrives(r1, r2);
    await rediscover(r2, r1);
    expect(world.topology.instance(key(r1))?.masterKey).toBe(key(r2));
    const up = await ops.moveUp(key(r1));
    expect(up.source).toBe(key(p));
    expect(await replicationOf(r1)).toBe(running(p));
    await rowArrives(r1, r2);
    await rediscover(r1);
  }, 120_000);

  it('repoints a replica to its own source, and stops and starts replication', async () => {
    await ops.repoint(key(r1));
    expect(await replicationOf(r1)).toBe(running(p));
    await ops.stopReplica(key(r1));
    expect(await replicationOf(r1)).toBe(`${p.host}:${p.port} No/No`);
    await ops.startReplica(key(r1));
    expect(await replicationOf(r1)).toBe(running(p));
    await rowArrives(r1);
    await expectRefused(() => ops.stopReplica(key(p)), 'OPERATION_REFUSED', 'key', 'is not a replica');
  }, 120_000);

  it('detaches a replica reversibly (//host) and reattaches it', async () => {
    await ops.detachReplica(key(r1));
    expect(await replicationOf(r1)).toBe(`//${p.host}:${p.port} No/No`);
    await expectRefused(() => ops.startReplica(key(r1)), 'OPERATION_REFUSED', 'key', 'use reattach-replica');
    await expectRefused(() => ops.detachReplica(key(r1)), 'OPERATION_REFUSED', 'key', 'already detached');
    await ops.reattachReplica(key(r1));
    expect(await replicationOf(r1)).toBe(running(p));
    expect(String((await replicaStatus(r1))?.['Using_Gtid'])).toBe('Slave_Pos');
    await rowArrives(r1, r2);
    await expectRefused(() => ops.reattachReplica(key(r1)), 'OPERATION_REFUSED', 'key', 'is not detached');
  }, 120_000);

  it('sets read_only and makes the server writeable again', async () => {
    const readOnly = async (): Promise<number> =>
      Number(((await p.query('SELECT @@GLOBAL.read_only AS ro')) as { ro: number }[])[0]?.ro);
    expect((await ops.setReadOnly(key(p))).message).toBe('Server set as read-only');
    expect(await readOnly()).toBe(1);
    expect((await ops.setWriteable(key(p))).message).toBe('Server set as writeable');
    expect(await readOnly()).toBe(0);
    await rowArrives(r1, r2);
  }, 60_000);
});
