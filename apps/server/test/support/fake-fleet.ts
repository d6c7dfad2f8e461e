// A fleet of fake MySQL servers for daemon tests: runs the discovery bench's fleet worker
// (tools/bench/discovery/fake-fleet.ts) as a child process, one listener per 127.20.x.y address,
// clusters of one primary and four replicas that answer orc's probe like MariaDB 10.11.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { allocatePort } from '@orc/testenv';
import { repoRoot } from './daemon-process.js';

const MEMBERS_PER_CLUSTER = 5;
const addressOf = (i: number): string => `127.20.${Math.floor(i / 250)}.${(i % 250) + 1}`;

/** A running fleet. */
export interface FakeFleet {
  /** How many servers it serves. */
  readonly servers: number;
  /** `host:port` of every cluster's primary: enough seeds to discover the whole fleet. */
  readonly seeds: readonly string[];
  /** Kills the worker and waits for it to exit. */
  stop(): Promise<void>;
}

/**
 * Starts `clusters` clusters of 1 primary + 4 replicas (5 servers each) and resolves once every
 * listener is up.
 *
 * @example
 * const fleet = await startFakeFleet(200); // 1,000 servers
 * await fleet.stop();
 */
export async function startFakeFleet(clusters: number): Promise<FakeFleet> {
  const servers = clusters * MEMBERS_PER_CLUSTER;
  const port = await allocatePort();
  const child: ChildProcess = spawn(
    process.execPath,
    [
      '--conditions=@orc/source',
      '--import',
      join(repoRoot, 'tools/scripts/ts-hooks.mjs'),
      join(repoRoot, 'tools/bench/discovery/fake-fleet.ts'),
      '0',
      String(servers),
      String(port),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let err = '';
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('ready')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`fake fleet exited with ${code} before ready: ${err}`)));
  });
  return {
    servers,
    seeds: Array.from({ length: clusters }, (_, c) => `${addressOf(c * MEMBERS_PER_CLUSTER)}:${port}`),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
