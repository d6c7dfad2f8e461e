import { openSync, closeSync, writeSync, readFileSync, statSync, unlinkSync } from 'node:fs';
import { isProcessAlive, processStartTime } from './proc-info.js';
import { delay } from './server-process.js';

/**
 * Runs `fn` while holding an exclusive lock file (created with O_EXCL, holding the owner's pid and
 * start time). A lock whose owner process is gone is taken over, so a crashed run never blocks the next.
 */
export async function withFileLock<T>(lockPath: string, timeoutMs: number, fn: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  const me = `${process.pid} ${processStartTime(process.pid) ?? ''}`;
  for (;;) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeSync(fd, me);
      closeSync(fd);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      if (isStale(lockPath)) {
        try {
          unlinkSync(lockPath);
        } catch {
          // another waiter removed it first
        }
        continue;
      }
      if (Date.now() > deadline) throw new Error(`lock ${lockPath} still held after ${timeoutMs} ms`, { cause: err });
      await delay(100);
    }
  }
  try {
    return await fn();
  } finally {
    try {
      unlinkSync(lockPath);
    } catch {
      // already gone: nothing to release
    }
  }
}

function isStale(lockPath: string): boolean {
  let text: string;
  try {
    text = readFileSync(lockPath, 'utf8');
  } catch {
    return false;
  }
  const [pidText, startTime] = text.split(' ');
  const pid = Number(pidText);
  if (!Number.isInteger(pid) || pid <= 0) {
    // An empty file means its owner is between open and write, or died there: give it 10 s.
    try {
      return Date.now() - statSync(lockPath).mtimeMs > 10_000;
    } catch {
      return false;
    }
  }
  return !isProcessAlive(pid, startTime === '' ? undefined : startTime);
}
