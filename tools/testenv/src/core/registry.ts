import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { isProcessAlive, processCommandLine, processStartTime } from './proc-info.js';
import { removeDirQuietly } from './paths.js';
import { delay } from './server-process.js';

/** The kinds of server this package starts. */
export type ServerKind = 'mariadb' | 'zookeeper' | 'etcd' | 'haproxy';

/**
 * One started server as recorded on disk, so that a later run can clean up after a crashed one.
 * The server process is killed only while its command line still contains `marker` (a path of
 * its own directory), so a recycled pid is never hit.
 */
export interface RegistryEntry {
  readonly id: string;
  readonly kind: ServerKind;
  readonly name: string;
  /** The server's pid while it runs, null while stopped. */
  readonly pid: number | null;
  readonly dir: string;
  readonly marker: string;
  readonly ports: Readonly<Record<string, number>>;
  readonly ownerPid: number;
  readonly ownerStartTime: string | null;
  readonly createdAt: string;
}

/** The outcome of reaping one entry. */
export interface ReapResult {
  readonly entry: RegistryEntry;
  /** Whether a live server process was killed. */
  readonly killed: boolean;
  /** Whether its directory is gone. */
  readonly removedDir: boolean;
}

/** Builds the owner fields of a new entry: the current process. */
export function currentOwner(): Pick<RegistryEntry, 'ownerPid' | 'ownerStartTime'> {
  return { ownerPid: process.pid, ownerStartTime: processStartTime(process.pid) };
}

/** Writes (or replaces) an entry atomically. */
export function writeEntry(registryDir: string, entry: RegistryEntry): void {
  mkdirSync(registryDir, { recursive: true });
  const file = join(registryDir, `${entry.id}.json`);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(entry, null, 2));
  renameSync(tmp, file);
}

/** Removes an entry; a missing one is fine. */
export function removeEntry(registryDir: string, id: string): void {
  rmSync(join(registryDir, `${id}.json`), { force: true });
}

/** Every readable entry; unreadable files (half-written by a crash) are skipped. */
export function readEntries(registryDir: string): RegistryEntry[] {
  let names: string[];
  try {
    names = readdirSync(registryDir);
  } catch {
    return [];
  }
  const entries: RegistryEntry[] = [];
  for (const name of names) {
    if (!name.endsWith('.json')) continue;
    try {
      entries.push(JSON.parse(readFileSync(join(registryDir, name), 'utf8')) as RegistryEntry);
    } catch {
      // a partial file from a crash between write and rename; its .tmp twin is never read
    }
  }
  return entries;
}

/** Whether the process that started the entry is still alive. */
export function isOwnerAlive(entry: RegistryEntry): boolean {
  return isProcessAlive(entry.ownerPid, entry.ownerStartTime);
}

/** Whether the entry's server process runs (its pid is alive and still runs our command line). */
export function isServerAlive(entry: RegistryEntry): boolean {
  if (entry.pid === null || !isProcessAlive(entry.pid)) return false;
  return processCommandLine(entry.pid)?.includes(entry.marker) === true;
}

/** Kills the entry's server if it still runs what we started, removes its directory and the entry. */
export async function reapEntry(registryDir: string, entry: RegistryEntry): Promise<ReapResult> {
  let killed = false;
  if (entry.pid !== null && isServerAlive(entry)) {
    try {
      process.kill(entry.pid, 'SIGKILL');
      killed = true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
    }
    // Not our child: poll /proc until it is gone (or a zombie waiting for init).
    const deadline = Date.now() + 5000;
    while (isProcessAlive(entry.pid) && Date.now() < deadline) await delay(20);
  }
  const removedDir = removeDirQuietly(entry.dir);
  if (removedDir) removeEntry(registryDir, entry.id);
  return { entry, killed, removedDir };
}

/**
 * Reaps every entry whose owner process is dead (a crashed or killed test run), then removes
 * run directories (`run-<pid>-*` beside the registry) whose process is gone and that no entry names.
 */
export async function reapOrphans(registryDir: string): Promise<ReapResult[]> {
  const results: ReapResult[] = [];
  for (const entry of readEntries(registryDir)) {
    if (entry.ownerPid === process.pid || isOwnerAlive(entry)) continue;
    results.push(await reapEntry(registryDir, entry));
  }
  sweepRunDirs(registryDir);
  return results;
}

function sweepRunDirs(registryDir: string): void {
  const baseDir = dirname(registryDir);
  const named = readEntries(registryDir).map((e) => e.dir);
  let names: string[];
  try {
    names = readdirSync(baseDir);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(/^run-(\d+)-/.exec(name)?.[1]);
    if (!Number.isInteger(pid) || pid === process.pid || isProcessAlive(pid)) continue;
    const runDir = join(baseDir, name);
    if (named.some((dir) => dir.startsWith(`${runDir}/`))) continue;
    removeDirQuietly(runDir);
  }
}

/** Reaps every entry, live owner or not (`testenv down`). */
export async function reapAll(registryDir: string): Promise<ReapResult[]> {
  const results: ReapResult[] = [];
  for (const entry of readEntries(registryDir)) results.push(await reapEntry(registryDir, entry));
  return results;
}
