import { createHash, randomBytes } from 'node:crypto';
import { linkSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { TestEnvError } from '../errors.js';
import { isProcessAlive, processStartTime } from './proc-info.js';
import { delay } from './server-process.js';

/** Options of {@link withFileLock}. */
export interface FileLockOptions {
  /** How long to wait for a live holder before failing with `LOCK_TIMEOUT`. */
  readonly timeoutMs: number;
  /** How often a waiter looks at the lock again (default 100 ms). */
  readonly pollMs?: number;
}

/**
 * Runs `fn` while holding an exclusive lock file. The file names its holder (pid, process start
 * time, a random token); a lock whose holder is gone is taken over, so a crashed run never blocks
 * the next one, and two waiters that find the same dead holder never both take over.
 *
 * @example
 * ```ts
 * await withFileLock(`${dir}.lock`, { timeoutMs: 120_000 }, async () => buildInto(dir));
 * ```
 */
export async function withFileLock<T>(lockPath: string, options: FileLockOptions, fn: () => Promise<T>): Promise<T> {
  const mine = await acquire(lockPath, options);
  try {
    return await fn();
  } finally {
    release(lockPath, mine);
  }
}

async function acquire(lockPath: string, options: FileLockOptions): Promise<string> {
  const deadline = Date.now() + options.timeoutMs;
  const token = randomBytes(8).toString('hex');
  const mine = `${process.pid} ${processStartTime(process.pid) ?? ''} ${token}\n`;
  // The lock appears by link(2) from a complete private file, so nobody ever reads it half written;
  // the same file serves as this waiter's takeover guards.
  const draft = `${lockPath}.${process.pid}-${token}.draft`;
  writeFileSync(draft, mine, { flag: 'wx' });
  try {
    for (;;) {
      if (tryLink(draft, lockPath)) return mine;
      const held = readLock(lockPath);
      if (held === null) continue; // released between our link and our read
      if (isStale(lockPath, held) && takeOver(lockPath, held, draft)) continue;
      if (Date.now() > deadline) {
        throw new TestEnvError('LOCK_TIMEOUT', `lock ${lockPath} still held after ${options.timeoutMs} ms`, {
          context: { lockPath, holder: held.trim() },
        });
      }
      await delay(options.pollMs ?? 100);
    }
  } finally {
    unlinkQuietly(draft);
  }
}

function release(lockPath: string, mine: string): void {
  // Only a takeover removes a lock it did not create, and a takeover needs this process dead:
  // finding another holder here means the lock was broken, which the caller must hear about.
  const held = readLock(lockPath);
  if (held !== mine) {
    throw new TestEnvError('INVALID_STATE', `lock ${lockPath} was no longer ours at release`, {
      context: { lockPath, holder: held?.trim() ?? null },
    });
  }
  unlinkSync(lockPath);
}

/**
 * Removes the lock `seen` from `lockPath` if this waiter wins the right to. Unlinking by name after
 * judging the holder dead would race: another waiter may have removed that lock and created its
 * own in between, and the unlink would take the live one. So the right to remove one particular
 * lock is itself exclusive: a guard file named after that lock's content, created by link(2).
 * Under the guard the lock is read again; it is still `seen` only if nobody removed it, and then
 * nobody else can remove it (its holder is dead, other waiters lack the guard), so the unlink is safe.
 */
function takeOver(lockPath: string, seen: string, draft: string): boolean {
  const guard = takeoverGuardPath(lockPath, seen);
  if (!tryLink(draft, guard)) {
    // Another waiter is taking it over; if that waiter died before finishing, its guard is a
    // stale lock of its own, removed the same way (a guard's guard has a different name).
    const guardHolder = readLock(guard);
    if (guardHolder !== null && isStale(guard, guardHolder)) takeOver(guard, guardHolder, draft);
    return false;
  }
  try {
    if (readLock(lockPath) !== seen) return false;
    unlinkSync(lockPath);
    return true;
  } finally {
    unlinkQuietly(guard);
  }
}

/**
 * The guard file that gives one waiter the right to remove the lock whose text is `held`.
 *
 * @example
 * ```ts
 * takeoverGuardPath('/cache/t.lock', '123 456 9f0c\n'); // '/cache/t.lock.takeover-<16 hex digits>'
 * ```
 */
export function takeoverGuardPath(lockPath: string, held: string): string {
  return `${lockPath}.takeover-${createHash('sha256').update(held).digest('hex').slice(0, 16)}`;
}

function isStale(path: string, text: string): boolean {
  const [pidText, startTime] = text.trim().split(' ');
  const pid = Number(pidText);
  if (!Number.isInteger(pid) || pid <= 0) {
    // Not written by this module: an older testenv created the file first and wrote it after, so
    // an empty file may be a holder between the two steps. Give it 10 s.
    try {
      return Date.now() - statSync(path).mtimeMs > 10_000;
    } catch {
      return false;
    }
  }
  return !isProcessAlive(pid, startTime === undefined || startTime === '' ? undefined : startTime);
}

function tryLink(from: string, to: string): boolean {
  try {
    linkSync(from, to);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
}

/** The lock file's text, or null when there is none. */
function readLock(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}
