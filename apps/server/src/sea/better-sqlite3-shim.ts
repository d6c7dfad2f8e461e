// In the single executable, the backend's lookup of `better-sqlite3` is rewritten by the build to
// this constructor (see scripts/build-binary.ts): the real module's JavaScript is bundled, and
// every database gets the addon carried in the binary through better-sqlite3's `nativeBinding`
// option instead of its own search of node_modules.
import Database from 'better-sqlite3';
import { loadSqliteAddon } from './sea-assets.js';

/**
 * better-sqlite3's constructor with `nativeBinding` filled in; callers use it with `new`.
 *
 * @example
 * const db = new SeaDatabase('/var/lib/orc/orc.db', { timeout: 5000 });
 */
export function SeaDatabase(file: string, options?: Record<string, unknown>): unknown {
  return new Database(file, { ...options, nativeBinding: loadSqliteAddon() });
}
