import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import type { TestEnvError } from '../src/index.js';
import { startEtcd, startZooKeeper, type EtcdServer, type ZooKeeperServer } from '../src/index.js';
import { waitFor } from '@orc/testkit';
import { isProcessAlive as isAlive } from '../src/core/proc-info.js';

const execFileAsync = promisify(execFile);

/** Runs one zkCli command (ZooKeeperMain) against the server. */
async function zkCli(zk: ZooKeeperServer, ...command: string[]): Promise<string> {
  const { stdout } = await execFileAsync(
    '/usr/bin/java',
    [
      '-cp',
      '/usr/share/java/zookeeper.jar:/usr/share/java/slf4j-nop.jar',
      'org.apache.zookeeper.ZooKeeperMain',
      '-server',
      zk.connectString,
      ...command,
    ],
    { timeout: 30_000 },
  );
  return stdout;
}

const b64 = (s: string): string => Buffer.from(s).toString('base64');

async function etcdPut(etcd: EtcdServer, key: string, value: string): Promise<void> {
  const res = await fetch(`${etcd.endpoint}/v3/kv/put`, {
    method: 'POST',
    body: JSON.stringify({ key: b64(key), value: b64(value) }),
  });
  expect(res.status).toBe(200);
}

async function etcdGet(etcd: EtcdServer, key: string): Promise<string | undefined> {
  const res = await fetch(`${etcd.endpoint}/v3/kv/range`, { method: 'POST', body: JSON.stringify({ key: b64(key) }) });
  const body = (await res.json()) as { kvs?: { value: string }[] };
  const value = body.kvs?.[0]?.value;
  return value === undefined ? undefined : Buffer.from(value, 'base64').toString();
}

describe('startZooKeeper', () => {
  let zk: ZooKeeperServer;
  beforeAll(async () => {
    zk = await startZooKeeper();
  }, 90_000);
  afterAll(async () => {
    await zk?.destroy();
  }, 30_000);

  it('answers ruok on 127.0.0.1 and holds a znode across stop/start and kill/start', async () => {
    expect(zk.connectString).toBe(`127.0.0.1:${zk.port}`);
    expect(await zk.fourLetterWord('ruok')).toBe('imok');
    await zkCli(zk, 'create', '/testenv', 'hello');
    const port = zk.port;
    const firstPid = zk.pid;
    await zk.stop();
    expect(isAlive(firstPid ?? 0)).toBe(false);
    await zk.start();
    expect(zk.port).toBe(port);
    expect(await zkCli(zk, 'get', '/testenv')).toContain('hello');
    await zk.kill();
    await zk.start();
    expect(await zkCli(zk, 'get', '/testenv')).toContain('hello');
  }, 90_000);
});

describe('startEtcd', () => {
  let etcd: EtcdServer;
  beforeAll(async () => {
    etcd = await startEtcd();
  }, 60_000);
  afterAll(async () => {
    await etcd?.destroy();
  }, 30_000);

  it('answers /version and /health and keeps its keys across stop/start and kill/start', async () => {
    const version = (await (await fetch(`${etcd.endpoint}/version`)).json()) as { etcdserver?: string };
    expect(version.etcdserver).toMatch(/^3\./);
    await etcdPut(etcd, 'mysql/master/c1', '127.0.0.1:3306');
    const { clientPort, peerPort } = etcd;
    await etcd.stop();
    await etcd.start();
    expect([etcd.clientPort, etcd.peerPort]).toEqual([clientPort, peerPort]);
    expect(await etcdGet(etcd, 'mysql/master/c1')).toBe('127.0.0.1:3306');
    await etcd.kill();
    await etcd.start();
    expect(await waitFor('the key served by etcd', () => etcdGet(etcd, 'mysql/master/c1'), { timeoutMs: 10_000 })).toBe(
      '127.0.0.1:3306',
    );
  }, 60_000);

  it('destroy() ends the process and removes its directory', async () => {
    const other = await startEtcd({ name: 'short-lived' });
    const pid = other.pid;
    await other.destroy();
    expect(isAlive(pid ?? 0)).toBe(false);
    expect(existsSync(other.dir)).toBe(false);
  }, 60_000);

  it('fails with BINARY_MISSING naming etcd-server when etcd is absent', async () => {
    const err = await startEtcd({ etcdPath: '/nonexistent/etcd' }).catch((e: unknown) => e);
    expect((err as TestEnvError).code).toBe('BINARY_MISSING');
    expect((err as TestEnvError).message).toMatch(/etcd-server/);
  });
});
