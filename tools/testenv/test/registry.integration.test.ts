import { describe, it, expect, afterAll } from '@jest/globals';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readEntries, reapOrphans, type RegistryEntry } from '../src/index.js';
import { writeEntry } from '../src/core/registry.js';
import { waitFor } from '@orc/testkit';
import { isProcessAlive as isAlive } from '../src/core/proc-info.js';

const baseDir = mkdtempSync(join(tmpdir(), 'orc-testenv-registry-'));
const registryDir = join(baseDir, 'registry');
const spawned: number[] = [];

/** A long-running process whose command line contains `marker`, like a server started in `dir`. */
function longRunning(marker: string): number {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', marker], {
    stdio: 'ignore',
    detached: true,
  });
  child.unref();
  spawned.push(child.pid ?? 0);
  return child.pid ?? 0;
}

/** The pid of a process that has exited: an owner that crashed. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
  await new Promise((resolve) => child.once('exit', resolve));
  return child.pid ?? 0;
}

function entry(id: string, dir: string, pid: number | null, ownerPid: number, marker = dir): RegistryEntry {
  return {
    id,
    kind: 'mariadb',
    name: id,
    pid,
    dir,
    marker,
    ports: { mysql: 1 },
    ownerPid,
    ownerStartTime: null,
    createdAt: new Date().toISOString(),
  };
}

afterAll(() => {
  for (const pid of spawned) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  rmSync(baseDir, { recursive: true, force: true });
});

describe('registry reaping', () => {
  it('kills an orphan whose command line still names its directory, and removes the directory and entry', async () => {
    const dir = join(baseDir, 'run-1-a', 'mariadb-orphan');
    mkdirSync(dir, { recursive: true });
    const pid = longRunning(dir);
    writeEntry(registryDir, entry('orphan', dir, pid, await deadPid()));
    const results = await reapOrphans(registryDir);
    expect(results.map((r) => [r.entry.id, r.killed, r.removedDir])).toEqual([['orphan', true, true]]);
    await waitFor('orphan killed', async () => (isAlive(pid) ? undefined : true), { timeoutMs: 5_000 });
    expect(existsSync(dir)).toBe(false);
    expect(readEntries(registryDir)).toEqual([]);
  }, 30_000);

  it('never kills a recycled pid (command line no longer matches) and leaves live owners alone', async () => {
    const dir = join(baseDir, 'run-2-b', 'mariadb-recycled');
    mkdirSync(dir, { recursive: true });
    const stranger = longRunning('/somewhere/else');
    writeEntry(registryDir, entry('recycled', dir, stranger, await deadPid()));
    const liveDir = join(baseDir, 'run-3-c', 'mariadb-live');
    mkdirSync(liveDir, { recursive: true });
    writeEntry(registryDir, entry('live', liveDir, null, process.pid));
    const results = await reapOrphans(registryDir);
    expect(results.map((r) => [r.entry.id, r.killed, r.removedDir])).toEqual([['recycled', false, true]]);
    expect(isAlive(stranger)).toBe(true);
    expect(existsSync(liveDir)).toBe(true);
    expect(readEntries(registryDir).map((e) => e.id)).toEqual(['live']);
  }, 30_000);
});
