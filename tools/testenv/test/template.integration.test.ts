import { describe, it, expect, afterAll } from '@jest/globals';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureMariaDbTemplate, noopLogger, startHaproxy, startZooKeeper, TestEnvError } from '../src/index.js';

const cacheDir = mkdtempSync(join(tmpdir(), 'orc-testenv-template-'));

afterAll(() => {
  rmSync(cacheDir, { recursive: true, force: true });
});

describe('ensureMariaDbTemplate', () => {
  it('builds once when several callers race on an empty cache, and the others reuse it', async () => {
    const options = {
      mariadbd: '/usr/sbin/mariadbd',
      installDb: '/usr/bin/mariadb-install-db',
      cacheDir,
      logger: noopLogger,
      timeoutMs: 120_000,
    };
    const results = await Promise.all([
      ensureMariaDbTemplate(options),
      ensureMariaDbTemplate(options),
      ensureMariaDbTemplate(options),
    ]);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.datadir)).size).toBe(1);
    expect(results[0]?.version).toMatch(/^10\.11\./);
    expect(existsSync(join(results[0]?.datadir ?? '/', 'mysql', 'global_priv.MAI'))).toBe(true);
    // Only the finished template remains: no build directory, no lock file.
    expect(readdirSync(cacheDir)).toEqual([results[0]?.datadir.split('/').at(-2)]);
    const again = await ensureMariaDbTemplate(options);
    expect(again.created).toBe(false);
  }, 120_000);

  it('reports a failing build as TEMPLATE_FAILED with the log tail', async () => {
    const err = await ensureMariaDbTemplate({
      mariadbd: '/usr/sbin/mariadbd',
      installDb: '/bin/false',
      cacheDir: join(cacheDir, 'failing'),
      logger: noopLogger,
      timeoutMs: 10_000,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TestEnvError);
    expect((err as TestEnvError).code).toBe('TEMPLATE_FAILED');
  }, 30_000);
});

describe('missing programs name their Debian package', () => {
  it('ZooKeeper', async () => {
    const err = await startZooKeeper({ zookeeperJar: '/nonexistent/zookeeper.jar' }).catch((e: unknown) => e);
    expect((err as TestEnvError).code).toBe('BINARY_MISSING');
    expect((err as TestEnvError).message).toMatch(/package zookeeper/);
  });

  it('HAProxy', async () => {
    const err = await startHaproxy({ config: '', haproxyPath: '/nonexistent/haproxy' }).catch((e: unknown) => e);
    expect((err as TestEnvError).code).toBe('BINARY_MISSING');
    expect((err as TestEnvError).message).toMatch(/package haproxy/);
  });
});
