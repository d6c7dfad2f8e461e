// Starts the kv-http example as separate node processes on 127.0.0.1 for process-level tests,
// and talks to them over HTTP. Every process is tracked by PID and killed in `destroy`.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { allocatePort } from '@orc/testenv';

const pkgRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface KvNode {
  readonly id: string;
  readonly raftPort: number;
  readonly httpPort: number;
  readonly dataDir: string;
  proc: ChildProcess | null;
}

export class KvCluster {
  readonly root = mkdtempSync(join(tmpdir(), 'orc-raft-proc-'));
  readonly nodes: KvNode[] = [];
  readonly #extraArgs: string[];

  private constructor(extraArgs: string[]) {
    this.#extraArgs = extraArgs;
  }

  static async create(ids: string[], extraArgs: string[] = []): Promise<KvCluster> {
    const c = new KvCluster(extraArgs);
    const ports: number[] = [];
    for (let i = 0; i < ids.length * 2; i++) ports.push(await allocatePort());
    ids.forEach((id, i) =>
      c.nodes.push({ id, raftPort: ports[2 * i]!, httpPort: ports[2 * i + 1]!, dataDir: join(c.root, id), proc: null }),
    );
    return c;
  }

  node(id: string): KvNode {
    const n = this.nodes.find((x) => x.id === id);
    if (n === undefined) throw new Error(`no node ${id}`);
    return n;
  }

  start(id: string): void {
    const n = this.node(id);
    const peers = this.nodes.map((x) => `${x.id}=127.0.0.1:${x.raftPort}`).join(',');
    const log = createWriteStream(join(this.root, `${id}.log`), { flags: 'a' });
    const proc = spawn(
      process.execPath,
      [
        '--conditions=@orc/source',
        '--import',
        join(pkgRoot, '..', '..', 'tools', 'scripts', 'ts-hooks.mjs'),
        '--no-warnings',
        join(pkgRoot, 'examples', 'kv-http', 'server.ts'),
        ...[
          '--id',
          id,
          '--raft',
          `127.0.0.1:${n.raftPort}`,
          '--http',
          `127.0.0.1:${n.httpPort}`,
          '--peers',
          peers,
          '--data',
          n.dataDir,
        ],
        ...this.#extraArgs,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    proc.stdout?.pipe(log);
    proc.stderr?.pipe(log);
    n.proc = proc;
  }

  /** SIGKILL, then wait for the exit. */
  async kill(id: string): Promise<void> {
    const n = this.node(id);
    const p = n.proc;
    n.proc = null;
    if (p === null || p.exitCode !== null || p.signalCode !== null) return;
    const exited = new Promise((r) => p.once('exit', r));
    p.kill('SIGKILL');
    await exited;
  }

  wipe(id: string): void {
    rmSync(this.node(id).dataDir, { recursive: true, force: true });
  }

  async request(
    id: string,
    method: string,
    path: string,
    body?: string,
  ): Promise<{ status: number; json: Record<string, unknown> }> {
    const res = await fetch(`http://127.0.0.1:${this.node(id).httpPort}${path}`, {
      method,
      body,
      signal: AbortSignal.timeout(5000),
    });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  }

  /** The node's /status, or null while it is down or not listening yet (anything else throws). */
  async status(id: string): Promise<Record<string, unknown> | null> {
    try {
      return (await this.request(id, 'GET', '/status')).json;
    } catch (err) {
      if (isUnreachable(err)) return null;
      throw err;
    }
  }

  async leader(): Promise<string | null> {
    for (const n of this.nodes) {
      if (n.proc === null) continue;
      const s = await this.status(n.id);
      if (s?.['state'] === 'leader') return n.id;
    }
    return null;
  }

  async destroy(): Promise<void> {
    await Promise.all(this.nodes.map((n) => this.kill(n.id)));
    rmSync(this.root, { recursive: true, force: true });
  }
}

/** A request to a killed, restarting or stalled node: refused, reset, or timed out. */
function isUnreachable(err: unknown): boolean {
  if (err instanceof DOMException && err.name === 'TimeoutError') return true;
  const code = (err as { cause?: { code?: unknown } } | null)?.cause?.code;
  return code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'UND_ERR_SOCKET';
}
