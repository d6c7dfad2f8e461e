// Start-up benchmark of the built orc-client: wall time of `-c help` (no network) and of
// `-c clusters` against an HTTP server on 127.0.0.1 that answers at once, interleaved, against
// `node -e ""` as the floor. Prints one JSON line. Run with `pnpm bench:client` (builds first).
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const RUNS = Number(process.env['RUNS'] ?? 20);
const main = join(dirname(fileURLToPath(import.meta.url)), '../dist/main.js');

const server = createServer((req, res) => {
  res.writeHead(200, { 'Content-Type': 'application/json' });
  res.end(req.url === '/api/clusters-info' ? '[{"ClusterName":"db1:3306","ClusterAlias":"shop"}]' : '"OK"');
});
await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
const api = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

function timed(args: readonly string[]): Promise<number> {
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, args, { env: { ...process.env, ORCHESTRATOR_API: api }, stdio: 'ignore' });
  return new Promise((res, rej) => {
    child.once('error', rej);
    child.once('close', (code) => {
      if (code !== 0) rej(new Error(`${args.join(' ')} exited ${code}`));
      else res(Number(process.hrtime.bigint() - started) / 1e6);
    });
  });
}

const cases = { node: ['-e', ''], help: [main, '-c', 'help'], clusters: [main, '-c', 'clusters'] };
const samples: Record<keyof typeof cases, number[]> = { node: [], help: [], clusters: [] };
for (const args of Object.values(cases)) await timed(args);
for (let i = 0; i < RUNS; i++)
  for (const [name, args] of Object.entries(cases)) samples[name as keyof typeof cases].push(await timed(args));
server.close();

const stats = (list: number[]): { median: number; max: number } => {
  const s = [...list].sort((a, b) => a - b);
  return {
    median: Math.round((s[Math.floor(s.length / 2)] ?? 0) * 10) / 10,
    max: Math.round((s.at(-1) ?? 0) * 10) / 10,
  };
};
console.warn('wall ms per run, interleaved node / help / clusters');
process.stdout.write(
  `${JSON.stringify({
    bench: 'client-start',
    runs: RUNS,
    node_empty_ms: stats(samples.node),
    help_ms: stats(samples.help),
    clusters_ms: stats(samples.clusters),
  })}\n`,
);
