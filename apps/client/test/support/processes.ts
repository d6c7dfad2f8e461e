// Runs orc-client and the orc daemon as child processes from their TypeScript sources (node's
// type stripping plus the workspace's resolve hook), each in its own temporary directory.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { allocatePort } from '@orc/testenv';
import { waitFor } from '@orc/testkit';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../../../..');
const hooks = join(repoRoot, 'tools/scripts/ts-hooks.mjs');
const clientMain = join(repoRoot, 'apps/client/src/main.ts');
const serverMain = join(repoRoot, 'apps/server/src/main.ts');
const fromSources = (main: string): string[] => ['--conditions=@orc/source', '--import', hooks, main];

/** What one client run printed and how it exited. */
export interface ClientRun {
  readonly code: number | null;
  readonly out: string;
  readonly err: string;
}

/**
 * Runs orc-client with `argv` and only the environment given (plus PATH and HOME).
 *
 * @example
 * const { code, out } = await runClientProcess(['-c', 'clusters'], { ORCHESTRATOR_API: url });
 */
export function runClientProcess(argv: readonly string[], env: Record<string, string>): Promise<ClientRun> {
  const child = spawn(process.execPath, [...fromSources(clientMain), ...argv], {
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/', USER: 'tester', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((res, rej) => {
    child.once('error', rej);
    child.once('close', (code) => res({ code, out, err }));
  });
}

/** A daemon process. */
export interface Daemon {
  readonly url: string;
  readonly child: ChildProcess;
  stop(): Promise<number | null>;
  output(): string;
}

/**
 * Starts the orc daemon from apps/server on a free port with `config`, and waits for /api/health.
 *
 * @example
 * const orc = await startDaemon({ BackendDB: 'sqlite' });
 */
export async function startDaemon(config: Record<string, unknown>): Promise<Daemon> {
  const dir = mkdtempSync(join(tmpdir(), 'orc-client-daemon-'));
  const port = await allocatePort();
  writeFileSync(join(dir, 'orc.conf.json'), JSON.stringify({ ListenAddress: `127.0.0.1:${port}`, ...config }));
  const child = spawn(process.execPath, [...fromSources(serverMain), '--config', 'orc.conf.json'], {
    cwd: dir,
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? dir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((res) => child.once('exit', (code) => res(code)));
  void exited.then((c) => (exitCode = c));
  const url = `http://127.0.0.1:${port}`;
  await waitFor(
    'the daemon answers /api/health',
    async () => {
      if (exitCode !== undefined) throw new Error(`daemon exited ${exitCode}: ${output.slice(-2000)}`);
      try {
        return (await fetch(`${url}/api/health`)).status === 200;
      } catch {
        // Connection refused until the daemon listens: that is what this poll waits out.
        return false;
      }
    },
    { timeoutMs: 60_000, intervalMs: 100, diagnose: () => output.slice(-2000) },
  );
  return {
    url,
    child,
    output: () => output,
    stop: async () => {
      if (exitCode === undefined) child.kill('SIGTERM');
      const code = await exited;
      rmSync(dir, { recursive: true, force: true });
      return code;
    },
  };
}
