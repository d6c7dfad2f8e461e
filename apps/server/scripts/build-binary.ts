// `pnpm build:binary`: one self-contained linux-x64 executable, dist/orc, by Node's Single
// Executable Applications (docs/adr/0601-single-executable.md). The daemon and every third-party
// package are bundled into one CommonJS script (SEA runs exactly one); better-sqlite3's addon and
// the web page (apps/web/dist, when built) travel as SEA assets, extracted at start by
// src/sea/sea-assets.ts. Node 24 has no `--build-sea`: the blob is made with
// `--experimental-sea-config` and injected into a copy of this node binary by postject.
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'tsup';
import { assetsId } from '../src/sea/sea-assets.js';

const serverDir = fileURLToPath(new URL('..', import.meta.url));
// `--out FILE` (default dist/orc): the test builds into its own folder, away from tsup's cleaning
// of dist/ by a concurrent `pnpm build`. Intermediate files go to a temporary folder.
const outFlag = process.argv.indexOf('--out');
const binary = resolve(outFlag > 0 ? (process.argv[outFlag + 1] ?? '') : join(serverDir, 'dist', 'orc'));
const outDir = mkdtempSync(join(tmpdir(), 'orc-sea-build-'));
const started = Date.now();

const run = (command: string, args: string[]): void => {
  const r = spawnSync(command, args, { cwd: serverDir, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${r.status}`);
};

// 1. One CommonJS script with everything in it. The backend loads better-sqlite3 through
// createRequire, which a bundler cannot follow: rewritten to the shim sea-setup installs.
await build({
  config: false,
  entry: { orc: 'src/sea/sea-main.ts' },
  format: ['cjs'],
  target: 'node24',
  platform: 'node',
  outDir,
  noExternal: [/./],
  clean: true,
  silent: true,
  esbuildOptions(options) {
    options.conditions = ['@orc/source', 'require', 'node'];
    options.define = { 'import.meta.url': 'globalThis.__orcSeaImportMetaUrl' };
  },
  esbuildPlugins: [
    {
      name: 'orc-sea-better-sqlite3',
      setup(b) {
        b.onLoad({ filter: /sqlite-dialect\.ts$/ }, (args) => ({
          contents: readFileSync(args.path, 'utf8').replace(
            "createRequire(import.meta.url)('better-sqlite3')",
            'globalThis.__orcSeaBetterSqlite3',
          ),
          loader: 'ts',
        }));
        // Node gives a CommonJS module's exports as `default` to import(); esbuild's CommonJS
        // output does not for modules marked __esModule (etcd3, cockatiel): take the namespace.
        b.onLoad({ filter: /etcd-store\.ts$/ }, (args) => ({
          contents: readFileSync(args.path, 'utf8').replace(
            'etcd3: etcd3.default, noop: cockatiel.default.noop',
            'etcd3: etcd3.default ?? etcd3, noop: (cockatiel.default ?? cockatiel).noop',
          ),
          loader: 'ts',
        }));
        // etcd3 reads its gRPC schema from `${__dirname}/../proto` when first loaded (lazily, when
        // an etcd KV store is configured): point it at the copy carried as assets.
        b.onLoad({ filter: /etcd3[\\/]lib[\\/]connection-pool\.js$/ }, (args) => ({
          contents: readFileSync(args.path, 'utf8').replace(
            '`${__dirname}/../proto/rpc.proto`',
            '`${globalThis.__orcSeaAssetDir}etcd3/proto/rpc.proto`',
          ),
          loader: 'js',
        }));
      },
    },
  ],
});
const script = join(outDir, 'orc.cjs');
const bundled = readFileSync(script, 'utf8');
for (const rewritten of [
  'globalThis.__orcSeaBetterSqlite3',
  'globalThis.__orcSeaAssetDir}etcd3',
  'etcd3.default ?? etcd3',
])
  if (!bundled.includes(rewritten))
    throw new Error(`build-binary: ${rewritten} missing from the bundle; a dependency changed, update the rewrite`);

// 2. The assets: better-sqlite3's addon for this platform (its N-API prebuild, or a local
// node-gyp build), and the web page if built.
const require = createRequire(join(serverDir, 'package.json'));
const sqliteDir = dirname(require.resolve('better-sqlite3/package.json'));
const addon = [`prebuilds/${process.platform}-${process.arch}.node`, 'build/Release/better_sqlite3.node']
  .map((p) => join(sqliteDir, p))
  .find((p) => existsSync(p));
if (addon === undefined)
  throw new Error(`build-binary: no better-sqlite3 addon for ${process.platform}-${process.arch}`);
const assets: [string, string][] = [['better_sqlite3.node', addon]];
const etcdProto = join(dirname(require.resolve('etcd3/package.json')), 'proto');
for (const name of readdirSync(etcdProto)) assets.push([`etcd3/proto/${name}`, join(etcdProto, name)]);
const webDist = join(serverDir, '../web/dist');
const walk = (dir: string): string[] =>
  readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? walk(join(dir, n)) : [join(dir, n)]));
if (existsSync(join(webDist, 'index.html'))) {
  for (const file of walk(webDist)) assets.push([`web/${relative(webDist, file)}`, file]);
} else {
  process.stderr.write('build-binary: apps/web/dist not built; the binary serves no web page\n');
}
const id = assetsId(assets.map(([key, file]) => [key, readFileSync(file)] as const));
const manifest = join(outDir, 'manifest.json');
writeFileSync(manifest, JSON.stringify({ id, files: assets.map(([key]) => key) }));

// 3. The blob, and a copy of node with the blob injected.
const seaConfig = join(outDir, 'sea-config.json');
writeFileSync(
  seaConfig,
  JSON.stringify({
    main: script,
    output: join(outDir, 'sea-prep.blob'),
    disableExperimentalSEAWarning: true,
    useCodeCache: true,
    assets: Object.fromEntries([['manifest.json', manifest], ...assets]),
  }),
);
run(process.execPath, ['--experimental-sea-config', seaConfig]);
mkdirSync(dirname(binary), { recursive: true });
copyFileSync(process.execPath, binary);
run('pnpm', [
  'exec',
  'postject',
  binary,
  'NODE_SEA_BLOB',
  join(outDir, 'sea-prep.blob'),
  '--sentinel-fuse',
  'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2',
]);
rmSync(outDir, { recursive: true, force: true });
const mb = (statSync(binary).size / 1e6).toFixed(1);
process.stdout.write(`build-binary: ${relative(process.cwd(), binary)} ${mb} MB in ${Date.now() - started} ms\n`);
