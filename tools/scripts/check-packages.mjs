// Checks every published package (packages/*, built first with `pnpm build`) as a user installs
// it: publint --strict on the package, then the tarball `pnpm pack` makes (workspace: and
// catalog: versions rewritten) must hold LICENSE and README.md and pass `attw --profile
// esm-only`, and a CommonJS and an ES module consumer must each load every export path and see
// the same names. The packages are ES modules only (docs/adr/0003-esm-only-packages.md): a
// CommonJS consumer gets them through require(esm), which Node >= 22.12 offers and our
// engines (>= 24) guarantee; a top-level await anywhere in a package would make that require
// fail (ERR_REQUIRE_ASYNC_MODULE), and this check would say so.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const work = mkdtempSync(join(tmpdir(), 'orc-check-packages-'));
const failures = [];

function run(command, args, cwd) {
  const r = spawnSync(command, args, { cwd, encoding: 'utf8' });
  return { ok: r.status === 0, output: `${r.stdout ?? ''}${r.stderr ?? ''}`.trim() || String(r.error ?? '') };
}

function fail(pkg, what, output) {
  failures.push(`${pkg}: ${what}${output ? `\n${output}` : ''}`);
}

const packages = readdirSync(join(root, 'packages'))
  .map((name) => join(root, 'packages', name))
  .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) }))
  .filter(({ manifest }) => manifest.private !== true);

// The consumers resolve @orc/* through a node_modules of their own, as an installed copy would;
// the links keep each package's own dependencies resolvable from its real path.
const consumer = join(work, 'consumer');
mkdirSync(join(consumer, 'node_modules', '@orc'), { recursive: true });
for (const { dir, manifest } of packages) symlinkSync(dir, join(consumer, 'node_modules', manifest.name));

try {
  for (const { dir, manifest } of packages) {
    const name = manifest.name;
    const started = Date.now();

    const publint = run(join(root, 'node_modules', '.bin', 'publint'), ['--strict'], dir);
    if (!publint.ok) fail(name, 'publint --strict failed', publint.output);

    const packDir = join(work, 'pack', name.replace('/', '+'));
    mkdirSync(packDir, { recursive: true });
    const pack = run('pnpm', ['pack', '--pack-destination', packDir], dir);
    const tarball = readdirSync(packDir).find((f) => f.endsWith('.tgz'));
    if (!pack.ok || tarball === undefined) {
      fail(name, 'pnpm pack failed', pack.output);
      continue;
    }
    const listing = run('tar', ['-tzf', join(packDir, tarball)], packDir);
    for (const file of ['package/LICENSE', 'package/README.md', 'package/package.json']) {
      if (!listing.output.split('\n').includes(file)) fail(name, `the tarball lacks ${file.slice('package/'.length)}`);
    }
    const attw = run(
      join(root, 'node_modules', '.bin', 'attw'),
      [join(packDir, tarball), '--profile', 'esm-only', '--format', 'ascii'],
      packDir,
    );
    if (!attw.ok) fail(name, 'attw --profile esm-only failed', attw.output);

    const specifiers = Object.keys(manifest.exports)
      .filter((path) => path !== './package.json')
      .map((path) => (path === '.' ? name : `${name}/${path.slice(2)}`));
    for (const specifier of specifiers) {
      const script = join(consumer, 'consume.cjs');
      writeFileSync(
        script,
        [
          `const specifier = ${JSON.stringify(specifier)};`,
          'let cjs;',
          'try {',
          '  cjs = Object.keys(require(specifier)).sort();',
          '} catch (err) {',
          '  console.error(`require(${specifier}) failed: ${err.code ?? ""} ${err.message}`);',
          '  process.exit(1);',
          '}',
          'import(specifier).then((ns) => {',
          '  const esm = Object.keys(ns).sort();',
          '  if (JSON.stringify(esm) !== JSON.stringify(cjs))',
          "    throw new Error(`import and require disagree:\\n  import: ${esm.join(', ')}\\n  require: ${cjs.join(', ')}`);",
          '});',
        ].join('\n'),
      );
      const load = run(process.execPath, [script], consumer);
      if (!load.ok) fail(name, `loading ${specifier} as ESM and CommonJS failed`, load.output);
    }
    console.log(`check-packages: ${name} checked in ${((Date.now() - started) / 1000).toFixed(1)}s`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

if (failures.length > 0) {
  console.error(`check-packages: ${failures.length} problem(s)\n\n${failures.join('\n\n')}`);
  process.exit(1);
}
console.log(`check-packages: ${packages.length} packages pass publint, attw (esm-only) and the ESM/CommonJS load`);
