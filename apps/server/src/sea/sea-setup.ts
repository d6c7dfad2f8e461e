// Runs before any other module of the binary (sea-main imports it first). The CommonJS bundle
// has no `import.meta`: the build defines `import.meta.url` as a global set here, naming a file in
// the asset cache, so `new URL('./web/', import.meta.url)` is the extracted web page. The
// backend's `createRequire(import.meta.url)('better-sqlite3')` is rewritten to the shim's global,
// etcd3's proto folder to one below the asset folder.
import { pathToFileURL } from 'node:url';
import { SeaDatabase } from './better-sqlite3-shim.js';
import { extractSeaAssets } from './sea-assets.js';

const globals = globalThis as {
  __orcSeaImportMetaUrl?: string;
  __orcSeaBetterSqlite3?: unknown;
  __orcSeaAssetDir?: string;
};
globals.__orcSeaAssetDir = extractSeaAssets();
globals.__orcSeaImportMetaUrl = pathToFileURL(`${extractSeaAssets()}main.js`).href;
globals.__orcSeaBetterSqlite3 = SeaDatabase;
