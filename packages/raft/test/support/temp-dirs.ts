// Temporary directories for the unit tests of raft's file-backed adapters, removed after the file.
import { afterAll } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Returns a maker of fresh directories under the system temp dir, named `<prefix>XXXXXX`; every
 * directory it made is removed after the test file's last test (registered with `afterAll`).
 *
 * @example
 * ```ts
 * const tempDir = tempDirs('raft-log-');
 * const store = await SqliteLogStore.open(join(tempDir(), 'raft.db'));
 * ```
 */
export function tempDirs(prefix: string): () => string {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  return () => {
    const d = mkdtempSync(join(tmpdir(), prefix));
    dirs.push(d);
    return d;
  };
}
