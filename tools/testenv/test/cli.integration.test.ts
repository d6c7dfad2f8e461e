import { describe, it, expect, afterAll } from '@jest/globals';
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createConnection } from 'mysql2/promise';
import { reapOrphans, readEntries } from '../src/index.js';
import { waitFor } from '@orc/testkit';
import { isProcessAlive as isAlive } from '../src/core/proc-info.js';

const execFileAsync = promisify(execFile);
const cli = join(import.meta.dirname, '..', 'src', 'cli.ts');
// A base directory of its own: `down` here must never touch other runs' servers.
const baseDir = mkdtempSync(join(tmpdir(), 'orc-testenv-cli-'));

interface UpJson {
  pid: number;
  mariadb: { name: string; port: number; pid: number; datadir: string }[];
  users: { root: { user: string; password: string } };
  etcd?: { endpoint: string; pid: number };
}

/** Starts `testenv up --json ...` and resolves with the child and its JSON line. */
async function up(...args: string[]): Promise<{ child: ChildProcess; info: UpJson }> {
  const child = spawn(process.execPath, [cli, 'up', '--json', '--base-dir', baseDir, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr?.on('data', (c: Buffer) => (err += c.toString()));
  const info = await new Promise<UpJson>((resolve, reject) => {
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line !== undefined) resolve(JSON.parse(line) as UpJson);
    });
    child.once('exit', (code) => reject(new Error(`testenv up exited with ${code}: ${err}`)));
  });
  return { child, info };
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
}

afterAll(() => {
  rmSync(baseDir, { recursive: true, force: true });
});

describe('pnpm testenv (src/cli.ts run by Node directly)', () => {
  it('up starts a topology and etcd, and Ctrl-C (SIGINT) stops them and removes their files', async () => {
    const { child, info } = await up('--shape', '1+1', '--etcd');
    expect(info.mariadb.map((m) => m.name)).toEqual(['p', 'r1']);
    const conn = await createConnection({ host: '127.0.0.1', port: info.mariadb[0]?.port ?? 0, ...info.users.root });
    await conn.query('SELECT 1');
    await conn.end();
    expect(((await (await fetch(`${info.etcd?.endpoint ?? ''}/health`)).json()) as { health: string }).health).toBe(
      'true',
    );
    const { stdout } = await execFileAsync(process.execPath, [cli, 'status', '--base-dir', baseDir]);
    expect(stdout).toMatch(/mariadb\s+p\s/);
    child.kill('SIGINT');
    expect(await exited(child)).toBe(0);
    for (const pid of [...info.mariadb.map((m) => m.pid), info.etcd?.pid ?? 0]) expect(isAlive(pid)).toBe(false);
    for (const m of info.mariadb) expect(existsSync(m.datadir)).toBe(false);
    expect(readEntries(join(baseDir, 'registry'))).toEqual([]);
  }, 90_000);

  it('after a crash (SIGKILL of the owner) its servers die with it and the next start removes their files; down reaps a live run', async () => {
    const crashed = await up('--shape', '1');
    crashed.child.kill('SIGKILL');
    await exited(crashed.child);
    const orphanPid = crashed.info.mariadb[0]?.pid ?? 0;
    // The parent-death signal ends the server with its owner.
    await waitFor('server of the crashed owner gone', async () => (isAlive(orphanPid) ? undefined : true), {
      timeoutMs: 10_000,
    });
    const { stdout } = await execFileAsync(process.execPath, [cli, 'status', '--base-dir', baseDir]);
    expect(stdout).toMatch(/owner \d+ gone/);
    const reaped = await reapOrphans(join(baseDir, 'registry'));
    expect(reaped.map((r) => r.removedDir)).toEqual([true]);
    expect(existsSync(crashed.info.mariadb[0]?.datadir ?? '/')).toBe(false);

    const live = await up('--shape', '1');
    const down = await execFileAsync(process.execPath, [cli, 'down', '--base-dir', baseDir]);
    expect(down.stdout).toMatch(/1 server\(s\) reaped/);
    await waitFor('server gone', async () => (isAlive(live.info.mariadb[0]?.pid ?? 0) ? undefined : true), {
      timeoutMs: 5_000,
    });
    live.child.kill('SIGINT');
    expect(await exited(live.child)).toBe(0);
  }, 120_000);
});
