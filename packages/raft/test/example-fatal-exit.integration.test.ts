// The kv-http example, the pattern the README gives an embedding service, stops serving once Raft
// stopped on a fatal error: it exits non-zero naming the reason, instead of staying up and
// answering reads from a state machine that no longer follows the group. The fatal error is a
// full disk: the data directory is a small tmpfs in a private mount namespace (`unshare -m`,
// root as in CI) that one large value overflows.
import { describe, it, expect, afterAll } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { allocatePort } from '@orc/testenv';
import { waitFor } from '@orc/testkit';

const pkgRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const root = mkdtempSync(join(tmpdir(), 'orc-raft-fatal-example-'));
let proc: ChildProcess | null = null;
afterAll(async () => {
  const p = proc;
  if (p !== null && p.exitCode === null && p.signalCode === null) {
    const exited = new Promise((r) => p.once('exit', r));
    p.kill('SIGKILL');
    await exited;
  }
  rmSync(root, { recursive: true, force: true });
});

/** A request to a process that is gone or going: refused, reset or closed mid-response. */
function isUnreachable(err: unknown): boolean {
  const code = (err as { cause?: { code?: unknown } } | null)?.cause?.code;
  return code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'UND_ERR_SOCKET';
}

describe('the kv-http example after a fatal error', () => {
  it('exits non-zero with the reason instead of serving reads from a stopped node', async () => {
    const raftPort = await allocatePort();
    const httpPort = await allocatePort();
    const mnt = join(root, 'mnt');
    const node = [
      process.execPath,
      '--conditions=@orc/source',
      '--import',
      join(pkgRoot, '..', '..', 'tools', 'scripts', 'ts-hooks.mjs'),
      '--no-warnings',
      join(pkgRoot, 'examples', 'kv-http', 'server.ts'),
      ...['--id', 'a', '--raft', `127.0.0.1:${raftPort}`, '--http', `127.0.0.1:${httpPort}`],
      ...['--peers', `a=127.0.0.1:${raftPort}`, '--data', `${mnt}/data`],
    ]
      .map((a) => `'${a}'`)
      .join(' ');
    // `exec`: the example is this very process, so killing it (afterAll) leaves nothing behind.
    const script = `mkdir -p '${mnt}' && mount -t tmpfs -o size=4m tmpfs '${mnt}' && exec ${node}`;
    const p = spawn('unshare', ['-m', 'sh', '-c', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    proc = p;
    let output = '';
    p.stdout.on('data', (d: Buffer) => (output += d.toString()));
    p.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const url = (path: string): string => `http://127.0.0.1:${httpPort}${path}`;
    const exited = (): boolean => p.exitCode !== null || p.signalCode !== null;

    await waitFor(
      'the example to lead its one-node group',
      async () => {
        if (exited()) throw new Error(`the example exited early: ${output}`);
        const res = await fetch(url('/status'), { signal: AbortSignal.timeout(5000) });
        return ((await res.json()) as { state?: string }).state === 'leader';
      },
      { timeoutMs: 60_000, intervalMs: 100, diagnose: () => output },
    );
    const put = await fetch(url('/kv/k'), { method: 'PUT', body: 'v', signal: AbortSignal.timeout(10_000) });
    expect(put.status).toBe(200);

    // 6 MiB does not fit in the 4 MiB directory: the log store's write fails, Raft stops for good.
    const big = await fetch(url('/kv/big'), {
      method: 'PUT',
      body: 'x'.repeat(6 * 1024 * 1024),
      signal: AbortSignal.timeout(30_000),
    }).then(
      (res) => res.status,
      (err: unknown) => {
        // The example may close the connection before the refusal reaches the client.
        if (isUnreachable(err)) return 'closed';
        throw err;
      },
    );
    expect([503, 'closed']).toContain(big);

    await waitFor('the example to exit', exited, { timeoutMs: 30_000, diagnose: () => output });
    expect(p.exitCode).toBe(1);
    expect(output).toContain('raft stopped after a fatal error: exiting');
    expect(output).toMatch(/SQLITE_FULL|database or disk is full/);
    // Nothing answers reads any more, stale or not.
    const read = await fetch(url('/kv/k'), { signal: AbortSignal.timeout(5000) }).then(
      (res) => res.status,
      (err: unknown) => {
        if (isUnreachable(err)) return 'refused';
        throw err;
      },
    );
    expect(read).toBe('refused');
  });
});
