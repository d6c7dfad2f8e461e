// @orc/kv loads the etcd client (and gRPC), the ZooKeeper client and the Consul store's HTTP
// client (undici) only when a store of that kind is used, so that a user does not pay for the
// clients of stores they did not configure.
// Checked in a fresh Node process per scenario (test/support/lazy-load-probe.ts), since this
// jest process has loaded them for other tests.
import { describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { allocatePort } from '@orc/testenv';

const probe = fileURLToPath(new URL('./support/lazy-load-probe.ts', import.meta.url));
const tsHooks = fileURLToPath(new URL('../../../tools/scripts/ts-hooks.mjs', import.meta.url));

/** Runs one scenario against a port nothing listens on; returns its outcome and the packages resolved. */
async function run(scenario: string): Promise<{ outcome: string; packages: string[] }> {
  const port = await allocatePort();
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--no-warnings', '--import', tsHooks, probe, scenario, String(port)],
    { timeout: 60_000 },
  );
  return JSON.parse(stdout) as { outcome: string; packages: string[] };
}

const heavy = ['etcd3', '@grpc/grpc-js', 'node-zookeeper-client'];

describe('lazy loading of store clients', () => {
  it('an internal-only publisher loads no store client, not even undici', async () => {
    const { outcome, packages } = await run('internal');
    expect(outcome).toBe('internal:ok');
    expect(packages.filter((p) => [...heavy, 'undici'].includes(p))).toEqual([]);
  });

  it('a Consul and internal publisher loads neither the etcd nor the ZooKeeper client', async () => {
    const { outcome, packages } = await run('consul-and-internal');
    expect(outcome).toBe('internal:ok,consul:UNAVAILABLE');
    expect(packages).toContain('undici');
    expect(packages.filter((p) => heavy.includes(p))).toEqual([]);
  });

  it('a ZooKeeper store loads the ZooKeeper client on first use, and not etcd3', async () => {
    const { outcome, packages } = await run('zookeeper');
    expect(['UNAVAILABLE', 'TIMEOUT']).toContain(outcome);
    expect(packages.filter((p) => heavy.includes(p))).toEqual(['node-zookeeper-client']);
  });

  it('an etcd store loads etcd3 and gRPC on first use, and not the ZooKeeper client', async () => {
    const { outcome, packages } = await run('etcd');
    expect(['UNAVAILABLE', 'TIMEOUT']).toContain(outcome);
    expect(packages.filter((p) => heavy.includes(p)).sort()).toEqual(['@grpc/grpc-js', 'etcd3']);
  });
});
