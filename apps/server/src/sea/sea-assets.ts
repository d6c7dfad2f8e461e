// Inside the single executable (Node SEA) there is no node_modules and no dist/ folder: the
// better-sqlite3 addon and the web page travel as SEA assets. A native addon can only be loaded
// from a file (process.dlopen), so the assets are written once to a private, content-addressed
// cache directory and reused by later starts of the same build.
import { createHash } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ServerError } from '../errors.js';

/** The asset list the build writes as the `manifest.json` asset. */
export interface SeaManifest {
  /** sha256 over every asset: the cache folder's name, so two builds never share files. */
  readonly id: string;
  /** Asset keys, also their paths below the cache folder (`better_sqlite3.node`, `web/index.html`, ...). */
  readonly files: readonly string[];
}

interface SeaModule {
  isSea(): boolean;
  getAsset(key: string): ArrayBuffer;
  getAsset(key: string, encoding: string): string;
}

// node:sea exists only in Node >= 20; loaded lazily so the module also imports outside a binary.
const sea = (): SeaModule => createRequire(join(process.cwd(), 'x.js'))('node:sea') as SeaModule;

let extracted: string | undefined;

/**
 * Writes the binary's assets below a folder owned by this user (mode 0700) and returns it;
 * a second call, or a later start of the same build, reuses it.
 *
 * @example
 * const dir = extractSeaAssets(); // e.g. /tmp/orc-1000-3f2a9c01b7de/
 */
export function extractSeaAssets(): string {
  if (extracted !== undefined) return extracted;
  const manifest = JSON.parse(sea().getAsset('manifest.json', 'utf8')) as SeaManifest;
  const uid = process.getuid?.() ?? 0;
  const dir = join(tmpdir(), `orc-${uid}-${manifest.id.slice(0, 12)}`);
  if (!existsSync(join(dir, '.complete'))) {
    // Built aside and renamed into place: a concurrent start sees either nothing or every file.
    const staging = `${dir}.${process.pid}`;
    rmSync(staging, { recursive: true, force: true });
    for (const key of manifest.files) {
      const file = join(staging, key);
      mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
      writeFileSync(file, new Uint8Array(sea().getAsset(key)), { mode: 0o600 });
    }
    writeFileSync(join(staging, '.complete'), manifest.id);
    try {
      renameSync(staging, dir);
    } catch (err) {
      // Another start of the same build won the race; its folder has the same content.
      rmSync(staging, { recursive: true, force: true });
      if (!existsSync(join(dir, '.complete'))) throw err;
    }
  }
  // A folder in a shared tmpdir that someone else created could hold a planted addon: refuse it.
  const st = statSync(dir);
  if (st.uid !== uid || (st.mode & 0o077) !== 0) {
    throw new ServerError(
      'UNSAFE_ASSET_CACHE',
      `refusing the asset cache ${dir}: not owned by uid ${uid} with mode 0700`,
      {
        details: [{ path: dir, message: `owner uid ${st.uid}, mode ${(st.mode & 0o777).toString(8)}` }],
      },
    );
  }
  extracted = `${dir}/`;
  return extracted;
}

let addon: unknown;

/**
 * The better-sqlite3 addon carried in the binary, loaded once; pass it as `nativeBinding`.
 *
 * @example
 * new Database(file, { nativeBinding: loadSqliteAddon() });
 */
export function loadSqliteAddon(): unknown {
  if (addon === undefined) {
    const module = { exports: {} as unknown };
    process.dlopen(module, join(extractSeaAssets(), 'better_sqlite3.node'));
    addon = module.exports;
  }
  return addon;
}

/**
 * The content id of a set of assets (hex sha256 over keys and bytes), used by the build.
 *
 * @example
 * const id = assetsId([['manifest', Buffer.from('x')]]);
 */
export function assetsId(entries: readonly (readonly [string, Uint8Array])[]): string {
  const hash = createHash('sha256');
  for (const [key, data] of entries) hash.update(key).update('\0').update(data).update('\0');
  return hash.digest('hex');
}
