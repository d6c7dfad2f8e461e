// A data directory that cannot be written is refused when the log store opens, with the path and
// the reason, instead of a node that starts, serves as a follower, and stops at its first write.
// Root ignores permission bits, so the read-only directory is a read-only mount: a tmpfs in a
// private mount namespace (`unshare -m`) of a child process, gone when the child exits.
import { describe, it, expect, afterAll } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SqliteLogStore, isRaftError } from '@orc/raft';

const here = dirname(fileURLToPath(import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'orc-raft-ro-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('SqliteLogStore.open on a directory it cannot write', () => {
  it('refuses a read-only data directory at open, naming the file and the reason', () => {
    const mnt = join(root, 'mnt');
    const node = [
      process.execPath,
      '--conditions=@orc/source',
      '--import',
      join(here, '..', '..', '..', 'tools', 'scripts', 'ts-hooks.mjs'),
      '--no-warnings',
      join(here, 'support', 'open-log-store.ts'),
    ]
      .map((a) => `'${a}'`)
      .join(' ');
    const script = [
      `mkdir -p '${mnt}'`,
      `mount -t tmpfs tmpfs '${mnt}'`,
      `${node} create '${mnt}/data'`,
      `mount -o remount,ro '${mnt}'`,
      `${node} open '${mnt}/data'`,
    ].join(' && ');
    const out = execFileSync('unshare', ['-m', 'sh', '-c', script], { encoding: 'utf8', timeout: 60_000 });
    const lines = out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines[0]).toEqual({ created: true });
    expect(lines[1]).toMatchObject({ opened: false, code: 'STORAGE' });
    expect(String(lines[1]!['message'])).toContain(`${mnt}/data/raft-log.db`);
    expect(String(lines[1]!['message'])).toMatch(/readonly|read-only/);
    expect(lines[1]!['details']).toEqual([
      { path: `${mnt}/data/raft-log.db`, message: expect.stringMatching(/readonly|read-only/) },
    ]);
  });

  it('refuses a data directory under a file, naming the path and the reason', () => {
    const file = join(root, 'not-a-dir');
    writeFileSync(file, 'x');
    let err: unknown;
    try {
      SqliteLogStore.open({ dir: join(file, 'data') });
    } catch (e) {
      err = e;
    }
    expect(isRaftError(err, 'STORAGE')).toBe(true);
    expect((err as Error).message).toContain(join(file, 'data'));
    expect((err as Error).message).toContain('ENOTDIR');
  });
});
