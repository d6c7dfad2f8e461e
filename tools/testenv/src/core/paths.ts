import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestEnvError } from '../errors.js';

/** Where servers' directories and the registry live unless a caller names another base: `<tmpdir>/orc-testenv`. */
export function defaultBaseDir(): string {
  return join(tmpdir(), 'orc-testenv');
}

/** Where the MariaDB template datadir is cached across runs: `<tmpdir>/orc-testenv-cache`. */
export function defaultCacheDir(): string {
  return join(tmpdir(), 'orc-testenv-cache');
}

/** The registry directory below a base directory. */
export function registryDirOf(baseDir: string): string {
  return join(baseDir, 'registry');
}

const runDirs = new Map<string, string>();

/** A short random token for directory names. */
export function shortId(bytes = 3): string {
  return randomBytes(bytes).toString('hex');
}

/**
 * Creates `<baseDir>/run-<pid>-<rand>/<kind>-<name>-<rand>` and checks it is writable.
 * The run directory groups everything one process started, which makes a leftover easy to attribute.
 */
export function createServerDir(baseDir: string, kind: string, name: string): string {
  let runDir = runDirs.get(baseDir);
  if (runDir === undefined) {
    runDir = join(baseDir, `run-${process.pid}-${shortId()}`);
    runDirs.set(baseDir, runDir);
  }
  const dir = join(runDir, `${kind}-${name}-${shortId()}`);
  try {
    mkdirSync(dir, { recursive: true });
    const probe = join(dir, '.writable');
    writeFileSync(probe, 'ok');
    rmSync(probe);
  } catch (cause) {
    throw new TestEnvError(
      'DIR_NOT_WRITABLE',
      `cannot create a writable directory for ${kind} "${name}" at ${dir}: ${String(cause)}`,
      {
        cause,
        context: { dir, kind, name },
      },
    );
  }
  return dir;
}

/** Removes a directory tree; reports (returns false) instead of throwing, since cleanup must go on. */
export function removeDirQuietly(dir: string): boolean {
  try {
    rmSync(dir, { recursive: true, force: true, maxRetries: 3, retryDelay: 50 });
    return true;
  } catch {
    return false;
  }
}
