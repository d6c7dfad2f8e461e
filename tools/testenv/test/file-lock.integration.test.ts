import { describe, it, expect, afterAll } from '@jest/globals';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { takeoverGuardPath, withFileLock } from '../src/core/file-lock.js';
import { processStartTime } from '../src/core/proc-info.js';

const here = dirname(fileURLToPath(import.meta.url));
const contender = join(here, 'support', 'lock-contender.ts');
const tsHooks = join(here, '..', '..', 'scripts', 'ts-hooks.mjs');
const dirs: string[] = [];

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'orc-testenv-lock-'));
  dirs.push(dir);
  return dir;
}

interface Exit {
  readonly id: string;
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stderr: string;
}

function runContender(lockPath: string, journal: string, id: string, rounds: number, dieAt: number): Promise<Exit> {
  const child = spawn(
    process.execPath,
    ['--conditions=@orc/source', '--import', tsHooks, contender, lockPath, journal, id, String(rounds), String(dieAt)],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ id, code, signal, stderr }));
  });
}

/** Replays the journal; returns the first record at which two contenders held the lock at once. */
function firstOverlap(records: readonly string[]): string | undefined {
  let holder: string | undefined;
  for (const record of records) {
    const [kind, id] = record.split(' ');
    if (kind === 'enter') {
      if (holder !== undefined) return `${record} while ${holder} holds the lock`;
      holder = id;
    } else {
      if (holder !== id) return `${record} while ${holder ?? 'nobody'} holds the lock`;
      holder = undefined; // a `die` leaves a stale lock that the next holder must take over
    }
  }
  return undefined;
}

describe('withFileLock', () => {
  it('lets one holder in at a time among many processes, also while they take over dead holders', async () => {
    const dir = tempDir();
    const lockPath = join(dir, 'x.lock');
    const journal = join(dir, 'journal');
    writeFileSync(journal, '');
    // Six slots run side by side. In each, three processes in turn hold the lock twice and die
    // (SIGKILL) while holding it the third time, then a fourth finishes five rounds. Every death
    // leaves a stale lock that the other slots' waiters, polling every millisecond, all judge
    // dead at once and race to take over.
    const slots = 6;
    const deathsPerSlot = 3;
    const runSlot = async (slot: number): Promise<Exit[]> => {
      const exits: Exit[] = [];
      for (let n = 0; n < deathsPerSlot; n++) exits.push(await runContender(lockPath, journal, `s${slot}p${n}`, 3, 2));
      exits.push(await runContender(lockPath, journal, `s${slot}p${deathsPerSlot}`, 5, -1));
      return exits;
    };
    const exits = (await Promise.all(Array.from({ length: slots }, (_, slot) => runSlot(slot)))).flat();

    for (const exit of exits) {
      if (exit.id.endsWith(`p${deathsPerSlot}`))
        expect(exit).toEqual({ id: exit.id, code: 0, signal: null, stderr: '' });
      else
        expect({ id: exit.id, signal: exit.signal, stderr: exit.stderr }).toEqual({
          id: exit.id,
          signal: 'SIGKILL',
          stderr: '',
        });
    }
    const records = readFileSync(journal, 'utf8').trim().split('\n');
    expect(firstOverlap(records)).toBeUndefined();
    const count = (kind: string) => records.filter((r) => r.startsWith(`${kind} `)).length;
    expect(count('die')).toBe(slots * deathsPerSlot);
    expect(count('leave')).toBe(slots * (deathsPerSlot * 2 + 5));
    // No lock, draft or takeover guard is left behind.
    expect(readdirSync(dir)).toEqual(['journal']);
  }, 120_000);

  it('takes over a lock whose holder died during its own takeover', async () => {
    const dir = tempDir();
    const lockPath = join(dir, 'y.lock');
    // Start time 0 names no running process: both the holder and the taking-over waiter are dead.
    const deadHolder = `${process.pid} 0 aaaa\n`;
    writeFileSync(lockPath, deadHolder);
    writeFileSync(takeoverGuardPath(lockPath, deadHolder), `${process.pid} 0 bbbb\n`);

    expect(await withFileLock(lockPath, { timeoutMs: 60_000, pollMs: 1 }, async () => 'held')).toBe('held');
    expect(readdirSync(dir)).toEqual([]);
  }, 120_000);

  it('fails with LOCK_TIMEOUT while a live process holds the lock', async () => {
    const dir = tempDir();
    const lockPath = join(dir, 'z.lock');
    writeFileSync(lockPath, `${process.pid} ${processStartTime(process.pid) ?? ''} cccc\n`);
    await expect(withFileLock(lockPath, { timeoutMs: 50, pollMs: 1 }, async () => 'held')).rejects.toMatchObject({
      code: 'LOCK_TIMEOUT',
      retryable: true,
    });
    expect(readdirSync(dir)).toEqual(['z.lock']);
  }, 120_000);
});
