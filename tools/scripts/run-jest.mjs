// Runs jest (ESM under --experimental-vm-modules) with the arguments given, then prints one
// closing line "jest: N passed, N failed, N skipped" that CI reads. Exits with jest's code,
// and non-zero when no test ran at all.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const jestBin = require.resolve('jest/bin/jest');
const dir = mkdtempSync(join(tmpdir(), 'orc-jest-'));
const out = join(dir, 'results.json');
// `pnpm test:jest -- packages/kv` passes the `--` through; jest would then ignore the path.
const passed = process.argv.slice(2).filter((arg) => arg !== '--');
const args = [
  '--experimental-vm-modules',
  '--no-warnings=ExperimentalWarning',
  jestBin,
  '--json',
  `--outputFile=${out}`,
  ...passed,
];
const run = spawnSync(process.execPath, args, { stdio: 'inherit' });
let code = run.status ?? 1;
try {
  const r = JSON.parse(readFileSync(out, 'utf8'));
  const skipped = r.numPendingTests + r.numTodoTests;
  console.log(`\njest: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped`);
  if (r.numPassedTests + r.numFailedTests === 0 && code === 0) {
    console.error('jest: no test ran');
    code = 1;
  }
} catch (err) {
  console.error(`jest: no results were written (${err instanceof Error ? err.message : String(err)})`);
  if (code === 0) code = 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.exit(code);
