// Runs the orc daemon as a child process, from the TypeScript sources (or a built file), in its
// own temporary working directory, and collects its output for assertions.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { allocatePort } from '@orc/testenv';
import { expect } from '@jest/globals';
import { waitFor } from '@orc/testkit';

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = resolve(here, '../../../..');
const mainTs = join(repoRoot, 'apps/server/src/main.ts');
const hooks = join(repoRoot, 'tools/scripts/ts-hooks.mjs');

/** A daemon process and what it printed. */
export interface DaemonProcess {
  readonly child: ChildProcess;
  readonly url: string;
  readonly dir: string;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code. */
  readonly exited: Promise<number | null>;
  /** SIGTERM, wait for exit; returns the code. */
  stop(): Promise<number | null>;
  /** JSON of a GET (or POST). */
  get(path: string, init?: RequestInit): Promise<{ status: number; body: unknown; text: string }>;
}

/** How to start one. */
export interface DaemonStart {
  /** Written to orc.conf.json in the working directory and passed with --config. */
  readonly config?: Record<string, unknown>;
  /** Raw config file text (for broken JSON). */
  readonly configText?: string;
  readonly env?: Record<string, string>;
  /** Default: the sources through the resolve hook. */
  readonly command?: readonly string[];
  /** Wait for /api/health 200 (default true). */
  readonly waitHealthy?: boolean;
}

/**
 * Starts a daemon on a free port.
 *
 * @example
 * const orc = await startDaemonProcess({ config: { MySQLTopologyUser: 'orc' } });
 * await orc.get('/api/clusters');
 */
export async function startDaemonProcess(start: DaemonStart = {}): Promise<DaemonProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'orc-daemon-'));
  const port = await allocatePort();
  const args: string[] = [];
  if (start.config !== undefined || start.configText !== undefined) {
    const text = start.configText ?? JSON.stringify({ ListenAddress: `127.0.0.1:${port}`, ...start.config }, null, 2);
    writeFileSync(join(dir, 'orc.conf.json'), text);
    args.push('--config', 'orc.conf.json');
  }
  const command = start.command ?? [process.execPath, '--conditions=@orc/source', '--import', hooks, mainTs];
  const env: Record<string, string> = {
    PATH: process.env['PATH'] ?? '',
    HOME: process.env['HOME'] ?? dir,
    ORC_ListenAddress: `127.0.0.1:${port}`,
    ...start.env,
  };
  const child = spawn(command[0] ?? process.execPath, [...command.slice(1), ...args], {
    cwd: dir,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((res) => child.once('exit', (code) => res(code)));
  const url = `http://127.0.0.1:${port}`;
  const get: DaemonProcess['get'] = async (path, init) => {
    const res = await fetch(`${url}${path}`, init);
    const text = await res.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      // Not every answer is JSON (a 431 from Node's parser, /metrics): callers look at `text`.
      body = undefined;
    }
    return { status: res.status, body, text };
  };
  let exitCode: number | null | undefined;
  void exited.then((c) => (exitCode = c));
  const daemon: DaemonProcess = {
    child,
    url,
    dir,
    stdout: () => out,
    stderr: () => err,
    exited,
    get,
    stop: async () => {
      if (exitCode === undefined) child.kill('SIGTERM');
      const code = await exited;
      rmSync(dir, { recursive: true, force: true });
      return code;
    },
  };
  if (start.waitHealthy !== false) {
    await waitFor(
      'the daemon answers /api/health',
      async () => {
        if (exitCode !== undefined) throw new Error(`daemon exited ${exitCode}: ${err}${out}`);
        try {
          return (await get('/api/health')).status === 200;
        } catch {
          // Connection refused until the daemon listens: that is what this poll waits out.
          return false;
        }
      },
      { timeoutMs: 60_000, intervalMs: 100, diagnose: () => ({ stdout: out.slice(-2000), stderr: err.slice(-2000) }) },
    );
  }
  return daemon;
}

/**
 * The teardown the daemon-on-MariaDB tests share: SIGTERM the daemon, stop the servers, then
 * demand exit code 0 (a daemon that did not stop cleanly fails the suite).
 *
 * @example
 * afterAll(() => stopDaemonAndServers(orc, topo), 60_000);
 */
export async function stopDaemonAndServers(
  daemon: DaemonProcess | undefined,
  servers: { stop(): Promise<void> } | undefined,
): Promise<void> {
  const code = await daemon?.stop();
  await servers?.stop();
  expect(code).toBe(0);
}
