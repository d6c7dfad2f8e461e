// Three (or five) orc daemons in Raft mode, each a child process from the repository's sources
// with its own working directory (its SQLite backend and RaftDataDir) that survives restarts, so
// a test can kill -9 a node, wipe its directory and start it again. Shared by the daemon's and
// the client's integration tests. A layout places each member: under host names resolved through
// a hosts file the test rewrites (renaming), or inside a network namespace (`ip netns exec`).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { allocatePort } from '../core/ports.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const mainTs = join(repoRoot, 'apps/server/src/main.ts');
const hooks = join(repoRoot, 'tools/scripts/ts-hooks.mjs');

/** One member. */
export interface RaftNode {
  readonly name: string;
  /** Where the test reaches its HTTP API. */
  readonly url: string;
  /** Its RaftNodes entry (and RaftAdvertise): what /api/raft-leader names. */
  readonly raftAddress: string;
  readonly dir: string;
  /** Output of the current (or last) process. */
  output(): string;
  isRunning(): boolean;
  /** PID of the running process (null when stopped). */
  pid(): number | null;
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
  /** The group's temporary directory (a hosts file may live there). */
  readonly root: string;
  destroy(): Promise<void>;
}

/** Where member `index` (0-based) lives; every field is optional. */
export interface RaftNodeLayout {
  /** Host of its Raft address (RaftNodes entry, RaftAdvertise, RaftBind). Default 127.0.0.1. */
  readonly raftHost?: (index: number) => string;
  /** Host its HTTP API listens on and the test reaches it at. Default 127.0.0.1. */
  readonly httpHost?: (index: number) => string;
  /** Keys added to (or replacing) its configuration; `ports` are the ones allocated to it. */
  readonly config?: (index: number, ports: { readonly http: number; readonly raft: number }) => Record<string, unknown>;
  /** Command the daemon is started under, e.g. `['ip', 'netns', 'exec', 'dc1']` (must exec it, keeping the PID). */
  readonly wrap?: (index: number) => readonly string[];
}

/**
 * Creates (does not start) `count` members with free ports; `extra` keys go to every node.
 *
 * @example
 * const group = await createRaftNodes(3, { AuthenticationMethod: 'multi', HTTPAuthUser: 'admin', HTTPAuthPassword: 'pw' });
 * for (const n of group.nodes) n.start();
 */
export async function createRaftNodes(
  count: number,
  extra: Record<string, unknown> = {},
  layout: RaftNodeLayout = {},
): Promise<RaftNodes> {
  const root = mkdtempSync(join(tmpdir(), 'orc-raft-'));
  const secret = 'raft15-test-secret-0123456789';
  const ports = [];
  for (let i = 0; i < count; i++) ports.push({ http: await allocatePort(), raft: await allocatePort() });
  const raftHost = layout.raftHost ?? (() => '127.0.0.1');
  const members = ports.map((p, i) => `${raftHost(i)}:${p.raft}`);
  const nodes = ports.map((p, i) =>
    makeNode({
      name: `n${i + 1}`,
      dir: join(root, `n${i + 1}`),
      ports: p,
      raftAddress: members[i] as string,
      httpHost: layout.httpHost?.(i) ?? '127.0.0.1',
      wrap: layout.wrap?.(i) ?? [],
      config: {
        RaftNodes: members,
        RaftSharedSecret: secret,
        ...extra,
        ...layout.config?.(i, p),
      },
    }),
  );
  return {
    nodes,
    secret,
    root,
    destroy: async () => {
      for (const n of nodes) if (n.isRunning()) await n.kill('SIGKILL');
      rmSync(root, { recursive: true, force: true });
    },
  };
}

interface NodePlan {
  readonly name: string;
  readonly dir: string;
  readonly ports: { readonly http: number; readonly raft: number };
  readonly raftAddress: string;
  readonly httpHost: string;
  readonly wrap: readonly string[];
  readonly config: Record<string, unknown>;
}

function makeNode(plan: NodePlan): RaftNode {
  const { dir, ports, raftAddress } = plan;
  const url = `http://${plan.httpHost}:${ports.http}`;
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  let out = '';
  const node: RaftNode = {
    name: plan.name,
    url,
    raftAddress,
    dir,
    output: () => out,
    isRunning: () => child !== undefined && child.exitCode === null && child.signalCode === null,
    pid: () => (node.isRunning() ? (child?.pid ?? null) : null),
    exitCode: () => child?.exitCode ?? null,
    start: () => {
      mkdirSync(dir, { recursive: true });
      const config = {
        ListenAddress: `${plan.httpHost}:${ports.http}`,
        HTTPAdvertise: url,
        BackendDB: 'sqlite',
        RaftEnabled: true,
        RaftBind: raftAddress,
        RaftDataDir: 'raft',
        RaftQuorumBailOutSeconds: 30,
        InstancePollSeconds: 1,
        ...plan.config,
      };
      writeFileSync(join(dir, 'orc.conf.json'), JSON.stringify(config, null, 2));
      out = '';
      const argv = [
        ...plan.wrap,
        process.execPath,
        '--conditions=@orc/source',
        '--import',
        hooks,
        mainTs,
        '--config',
        'orc.conf.json',
      ];
      const c = spawn(argv[0] as string, argv.slice(1), {
        cwd: dir,
        env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? dir },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
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
