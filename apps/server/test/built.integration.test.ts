// The bundled daemon (tsup output) deployed with only its declared production dependencies, run
// from an empty directory with no config: it must start and answer /api/health.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { repoRoot, startDaemonProcess } from './support/daemon-process.js';

let deployDir: string;

const pnpm = (args: string[]): void => {
  const run = spawnSync('pnpm', args, { cwd: repoRoot, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`pnpm ${args.join(' ')} failed (${run.status}): ${run.stderr}${run.stdout}`);
};

beforeAll(() => {
  deployDir = join(mkdtempSync(join(tmpdir(), 'orc-deploy-')), 'server');
  pnpm(['--filter', '@orc/server', 'build']);
  pnpm(['--filter', '@orc/server', 'deploy', '--prod', '--legacy', '--offline', deployDir]);
}, 180_000);

afterAll(() => {
  rmSync(join(deployDir, '..'), { recursive: true, force: true });
});

describe('the built daemon', () => {
  it('declares every third-party package its bundle loads', () => {
    const dist = join(deployDir, 'dist');
    const loaded = new Set<string>();
    for (const file of readdirSync(dist).filter((f) => f.endsWith('.js'))) {
      const code = readFileSync(join(dist, file), 'utf8');
      // What esbuild writes for a module left outside the bundle: a static import at the start of
      // a line, `import("x")`, or the backend's `createRequire(import.meta.url)("x")`. Bundled
      // code's comments quote imports too (kysely's examples), in single quotes: not matched.
      for (const m of code.matchAll(
        /^import\s[^;\n]*?from\s*"([^"]+)";$|^import\s*"([^"]+)";$|\bimport\("([^"./][^"]*)"\)|[Rr]equire\d*\(import\.meta\.url\)\("([^"]+)"\)/gm,
      )) {
        const spec = m[1] ?? m[2] ?? m[3] ?? m[4] ?? '';
        if (spec.startsWith('.')) continue;
        const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : (spec.split('/')[0] ?? '');
        if (!builtinModules.includes(name) && !name.startsWith('node:')) loaded.add(name);
      }
    }
    const declared = Object.keys(
      (JSON.parse(readFileSync(join(deployDir, 'package.json'), 'utf8')) as { dependencies: object }).dependencies,
    );
    expect([...loaded].filter((n) => !declared.includes(n))).toEqual([]);
    expect([...loaded].some((n) => n.startsWith('@orc/'))).toBe(false);
    // The native addon and the KV clients loaded on demand stay outside; the rest is bundled.
    expect([...loaded].sort()).toEqual(['better-sqlite3', 'cockatiel', 'etcd3', 'node-zookeeper-client']);
  });

  it('starts from an empty directory with no config and answers /api/health', async () => {
    const orc = await startDaemonProcess({ command: [process.execPath, join(deployDir, 'dist/main.js')] });
    const health = await orc.get('/api/health');
    expect(health.status).toBe(200);
    expect(orc.stdout()).toContain('"dialect":"sqlite"');
    expect(await orc.stop()).toBe(0);
  }, 120_000);
});
