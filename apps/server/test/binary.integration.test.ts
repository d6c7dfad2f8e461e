// The single executable (`pnpm build:binary`, Node SEA) copied alone into an empty directory and
// started with no config: it must open its embedded SQLite through the addon it carries, serve
// /api/health and the web page it carries, and exit 0 on SIGTERM.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { repoRoot, startDaemonProcess } from './support/daemon-process.js';

let buildDir: string;
let binDir: string;

const pnpm = (args: string[]): void => {
  const run = spawnSync('pnpm', args, { cwd: repoRoot, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`pnpm ${args.join(' ')} failed (${run.status}): ${run.stderr}${run.stdout}`);
};

beforeAll(() => {
  // Built into a folder of its own: built.integration.test's `pnpm build` cleans dist/ meanwhile.
  buildDir = mkdtempSync(join(tmpdir(), 'orc-binary-build-'));
  binDir = mkdtempSync(join(tmpdir(), 'orc-binary-'));
  pnpm(['--filter', '@orc/web', 'build']);
  pnpm(['--filter', '@orc/server', 'build:binary', '--out', join(buildDir, 'orc')]);
  copyFileSync(join(buildDir, 'orc'), join(binDir, 'orc'));
}, 240_000);

afterAll(() => {
  rmSync(buildDir, { recursive: true, force: true });
  rmSync(binDir, { recursive: true, force: true });
});

describe('the single executable', () => {
  it('starts alone from an empty directory on SQLite, serves health and the page, stops on SIGTERM', async () => {
    expect(readdirSync(binDir)).toEqual(['orc']);
    const orc = await startDaemonProcess({ command: [join(binDir, 'orc')] });
    expect((await orc.get('/api/health')).status).toBe(200);
    expect(orc.stdout()).toContain('"dialect":"sqlite"');
    const page = await orc.get('/web/');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<html');
    expect(await orc.stop()).toBe(0);
    expect(orc.stderr()).toBe('');
  }, 120_000);
});
