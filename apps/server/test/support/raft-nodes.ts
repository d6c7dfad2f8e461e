// Three (or five) orc daemons in Raft mode, each a child process with its own working directory
// (its SQLite backend and RaftDataDir) that survives restarts, so a test can kill -9 a node,
// wipe its directory and start it again under the same address.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allocatePort } from '@orc/testenv';
import { repoRoot } from './daemon-process.js';

const mainTs = join(repoRoot, 'apps/server/src/main.ts');
const hooks = join(repoRoot, 'tools/scripts/ts-hooks.mjs');

/** One member. */
export interface RaftNode {
  readonly name: string;
  readonly url: string;
  readonly raftAddress: string;
  readonly dir: string;
  /** Output of the current (or last) process. */
  output(): string;
  isRunning(): boolean;
  /** Exit code of the last process (null: killed by a signal or still running). */
  exitCode(): number | null;
  start(): void;
  kill(signal: NodeJS.Signals): Promise<void>;
  /** Deletes the node's backend and Raft data (the process must be stopped). */
  wipe(): void;
  get(path: string, init?: RequestInit): Promise<{ status: number; text: string; body: unknown }>;
}

/** The group and its shared temporary directory. */
export interface RaftNodes {
  readonly nodes: readonly RaftNode[];
  readonly secret: string;
  destroy(): Promise<void>;
}

/**
 * Creates (does not start) `count` members on 127.0.0.1 with free ports.
 *
 * @example
 * const group = await createRaftNodes(3, { AuthenticationMethod: 'multi', HTTPAuthUser: 'admin', HTTPAuthPassword: 'pw' });
 * for (const n of group.nodes) n.start();
 */
export async function createRaftNodes(count: number, extra: Record<string, unknown> = {}): Promise<RaftNodes> {
  const root = mkdtempSync(join(tmpdir(), 'orc-raft-'));
  const secret = 'raft15-test-secret-0123456789';
  const ports = [];
  for (let i = 0; i < count; i++) ports.push({ http: await allocatePort(), raft: await allocatePort() });
  const members = ports.map((p) => `127.0.0.1:${p.raft}`);
  const nodes = ports.map((p, i) => makeNode(`n${i + 1}`, root, p, members, secret, extra));
  return {
    nodes,
    secret,
    destroy: async () => {
      for (const n of nodes) if (n.isRunning()) await n.kill('SIGKILL');
      rmSync(root, { recursive: true, force: true });
    },
  };
}

function makeNode(
  name: string,
  root: string,
  ports: { http: number; raft: number },
  members: readonly string[],
  secret: string,
  extra: Record<string, unknown>,
): RaftNode {
  const dir = join(root, name);
  const url = `http://127.0.0.1:${ports.http}`;
  const raftAddress = `127.0.0.1:${ports.raft}`;
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  let out = '';
  const node: RaftNode = {
    name,
    url,
    raftAddress,
    dir,
    output: () => out,
    isRunning: () => child !== undefined && child.exitCode === null && child.signalCode === null,
    exitCode: () => child?.exitCode ?? null,
    start: () => {
      mkdirSync(dir, { recursive: true });
      const config = {
        ListenAddress: `127.0.0.1:${ports.http}`,
        HTTPAdvertise: url,
        BackendDB: 'sqlite',
        RaftEnabled: true,
        RaftBind: raftAddress,
        RaftDataDir: 'raft',
        RaftNodes: members,
        RaftSharedSecret: secret,
        RaftQuorumBailOutSeconds: 30,
        InstancePollSeconds: 1,
        ...extra,
      };
      writeFileSync(join(dir, 'orc.conf.json'), JSON.stringify(config, null, 2));
      out = '';
      const c = spawn(
        process.execPath,
        ['--conditions=@orc/source', '--import', hooks, mainTs, '--config', 'orc.conf.json'],
        {
          cwd: dir,
          env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? dir },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      c.stdout?.on('data', (d: Buffer) => (out += d.toString()));
      c.stderr?.on('data', (d: Buffer) => (out += d.toString()));
      exited = new Promise((resolve) => c.once('exit', () => resolve()));
      child = c;
    },
    kill: async (signal) => {
      if (node.isRunning()) child?.kill(signal);
      await exited;
    },
    wipe: () => rmSync(dir, { recursive: true, force: true }),
    get: async (path, init) => {
      const res = await fetch(`${url}${path}`, { ...init, signal: AbortSignal.timeout(5000) });
      const text = await res.text();
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        // Some answers are not JSON (/metrics); callers read `text`.
        body = undefined;
      }
      return { status: res.status, text, body };
    },
  };
  return node;
}
