import { readFileSync } from 'node:fs';

/**
 * The start time of a process in clock ticks since boot (field 22 of /proc/<pid>/stat), or null
 * when the process is gone. Together with the pid it names a process even after pid reuse.
 */
export function processStartTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: split after its closing ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields[0] === 'Z' || fields[0] === 'X') return null;
    return fields[19] ?? null;
  } catch {
    return null;
  }
}

/** Whether process `pid` is alive (and not a zombie); with `startTime`, whether it is that same process. */
export function isProcessAlive(pid: number, startTime?: string | null): boolean {
  const now = processStartTime(pid);
  if (now === null) return false;
  return startTime === undefined || startTime === null || now === startTime;
}

/** The command line of a process joined by spaces, or null when it is gone. */
export function processCommandLine(pid: number): string | null {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return null;
  }
}
