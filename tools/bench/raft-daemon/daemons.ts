// What the phases of bench:raft-daemon share: three orc daemons in Raft mode as processes on
// 127.0.0.1 (SQLite backends, run from the sources), their HTTP status, read-only looks into each
// node's SQLite backend, and a bounded wait.
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

// better-sqlite3 is a dependency of @orc/backend: resolve it from there.
type SqliteDb = { prepare(sql: string): { all(...args: unknown[]): unknown[] }; close(): void };
const Database = createRequire(join(root, 'packages/backend/package.json'))('better-sqlite3') as new (
  file: string,
  options: { readonly: boolean; fileMustExist: boolean },
) => SqliteDb;

/**
 * A free TCP port on 127.0.0.1.
 *
 * @example
 * const port = await freePort();
 */
export const freePort = (): Promise<number> =>
  new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => res(typeof a === 'object' && a !== null ? a.port : 0));
    });
  });

/** One daemon of the group. */
export interface Node {
  url: string;
  raft: string;
  dir: string;
  child?: ChildProcess;
  /** The log lines the failover summary reads. */
  out: string;
}

/**
 * Starts `node` as a Raft member of `members`, with `extra` orchestrator-style config keys.
 *
 * @example
 * for (const x of nodes) start(x, nodes.map((n) => n.raft), { InstancePollSeconds: 1 });
 */
export function start(node: Node, members: string[], extra: Record<string, unknown> = {}): void {
  mkdirSync(node.dir, { recursive: true });
  writeFileSync(
    join(node.dir, 'orc.conf.json'),
    JSON.stringify({
      ListenAddress: node.url.replace('http://', ''),
      HTTPAdvertise: node.url,
      BackendDB: 'sqlite',
      RaftEnabled: true,
      RaftBind: node.raft,
      RaftDataDir: 'raft',
      RaftNodes: members,
      RaftSharedSecret: 'bench-raft-daemon-secret',
      ...extra,
    }),
  );
  node.child = spawn(
    process.execPath,
    [
      '--conditions=@orc/source',
      '--import',
      join(root, 'tools/scripts/ts-hooks.mjs'),
      join(root, 'apps/server/src/main.ts'),
      '--config',
      'orc.conf.json',
    ],
    { cwd: node.dir, stdio: ['ignore', 'pipe', 'ignore'] },
  );
  node.out = '';
  node.child.stdout?.on('data', (d: Buffer) => {
    // Only the lines the summary reads, so a long run does not hold every log line.
    for (const line of d.toString().split('\n'))
      if (/failover agreed|recovery finished/.test(line)) node.out += `${line}\n`;
  });
}

/**
 * Three nodes on free ports under `dir` (not started).
 *
 * @example
 * const nodes = await makeNodes(dir);
 */
export async function makeNodes(dir: string): Promise<Node[]> {
  const nodes: Node[] = [];
  for (let i = 0; i < 3; i++)
    nodes.push({
      url: `http://127.0.0.1:${await freePort()}`,
      raft: `127.0.0.1:${await freePort()}`,
      dir: join(dir, `n${i + 1}`),
      out: '',
    });
  return nodes;
}

/**
 * The HTTP status of `path` on `node`; 0 when it does not answer within a second.
 *
 * @example
 * if ((await status(node, '/api/leader-check')) === 200) console.log('leader');
 */
export async function status(node: Node, path: string): Promise<number> {
  try {
    return (await fetch(`${node.url}${path}`, { signal: AbortSignal.timeout(1000) })).status;
  } catch {
    return 0; // not listening (yet, or any more)
  }
}

/**
 * The node that answers leader-check 200 now, or undefined.
 *
 * @example
 * const leader = await until('a leader', () => leaderOf(nodes));
 */
export async function leaderOf(nodes: readonly Node[]): Promise<Node | undefined> {
  for (const x of nodes) if ((await status(x, '/api/leader-check')) === 200) return x;
  return undefined;
}

/**
 * Polls `probe` every `everyMs` until it returns a value; throws naming `what` after `ms`.
 *
 * @example
 * await until('healthy', async () => ((await status(n, '/api/raft-health')) === 200 ? true : undefined));
 */
export async function until<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  ms = 90_000,
  everyMs = 5,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out after ${Math.round(ms / 1000)} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/**
 * The first column of the first row of `sql` in `node`'s SQLite backend; undefined while the file
 * or the schema does not exist yet (or the database is busy).
 *
 * @example
 * const n = backendValue<number>(node, 'SELECT COUNT(*) FROM kv_store');
 */
export function backendValue<T>(node: Node, sql: string, ...args: unknown[]): T | undefined {
  let db: SqliteDb;
  try {
    db = new Database(join(node.dir, 'orc-data', 'orc.sqlite3'), { readonly: true, fileMustExist: true });
  } catch {
    return undefined; // not created yet
  }
  try {
    const row = db.prepare(sql).all(...args)[0] as Record<string, unknown> | undefined;
    return row === undefined ? undefined : (Object.values(row)[0] as T);
  } catch {
    return undefined; // schema not migrated yet, or busy
  } finally {
    db.close();
  }
}
