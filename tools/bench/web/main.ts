// pnpm bench:web — first paint of a 200-instance cluster page: the built page (apps/web/dist)
// served with answers shaped like the daemon's for one primary, 9 intermediate primaries and 190
// replicas, opened in Debian's headless chromium; time from navigation start to all 200 nodes in
// the DOM, and to the browser's first contentful paint after them. Prints one JSON line with the
// median and maximum of N trials (default 10); the goal is under 1000 ms.
// Run with: pnpm --filter @orc/web build && node tools/bench/web/main.ts [--trials N]
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

interface BenchPage {
  goto(url: string): Promise<unknown>;
  waitForFunction(fn: string, arg?: unknown, options?: { timeout: number }): Promise<unknown>;
  evaluate<T>(fn: string): Promise<T>;
  close(): Promise<void>;
}
interface BenchBrowser {
  newPage(options: { viewport: { width: number; height: number } }): Promise<BenchPage>;
  close(): Promise<void>;
}
const require = createRequire(new URL('../../../apps/web/package.json', import.meta.url));
const { chromium } = require('playwright-core') as {
  chromium: { launch(o: { executablePath: string; args: string[] }): Promise<BenchBrowser> };
};

const arg = process.argv.indexOf('--trials');
const trials = arg > 0 ? Number(process.argv[arg + 1]) : 10;
if (!Number.isInteger(trials) || trials <= 0) throw new Error('--trials must be a positive integer');

const dist = fileURLToPath(new URL('../../../apps/web/dist/', import.meta.url));
const files: Record<string, [string, Buffer]> = {};
for (const [name, type] of [
  ['index.html', 'text/html'],
  ['app.js', 'text/javascript'],
  ['app.css', 'text/css'],
] as const)
  files[name] = [type, readFileSync(`${dist}${name}`)];

const CLUSTER = 'db-000:3306';
const key = (n: number): { Hostname: string; Port: number } => ({
  Hostname: `db-${String(n).padStart(3, '0')}`,
  Port: 3306,
});
const instance = (n: number, master: number | null): Record<string, unknown> => ({
  Key: key(n),
  MasterKey: master === null ? { Hostname: '', Port: 0 } : key(master),
  Version: '10.11.19-MariaDB-log',
  FlavorName: 'MariaDB',
  ReadOnly: master !== null,
  UsingMariaDBGTID: master !== null,
  SecondsBehindMaster: { Int64: n % 7, Valid: master !== null },
  ClusterName: CLUSTER,
  IsLastCheckValid: n % 50 !== 7,
  IsDowntimed: n % 40 === 3,
  DowntimeReason: 'upgrade',
  IsCandidate: n % 30 === 1,
  PromotionRule: n % 30 === 1 ? 'prefer' : 'neutral',
  Problems: n % 25 === 4 ? ['replication_lag'] : [],
});
const instances = [instance(0, null)];
for (let n = 1; n < 200; n++) instances.push(instance(n, n <= 9 ? 0 : 1 + (n % 9)));
const json: Record<string, unknown> = {
  '/api/whoami': { User: 'bench', CanMutate: true, ReadOnly: false },
  [`/api/cluster/${encodeURIComponent(CLUSTER)}`]: instances,
  [`/api/replication-analysis/${encodeURIComponent(CLUSTER)}`]: {
    Code: 'OK',
    Message: 'Analysis',
    Details: [{ AnalyzedInstanceKey: key(7), Analysis: 'UnreachableIntermediateMaster' }],
  },
};

const server = createServer((req, res) => {
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  const file = files[path === '/web/' ? 'index.html' : path.replace(/^\/web\//, '')];
  if (file !== undefined) return res.writeHead(200, { 'content-type': file[0] }).end(file[1]);
  const body = json[path];
  if (body !== undefined) return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  return res.writeHead(404, { 'content-type': 'application/json' }).end('{"Code":"ERROR","Message":"no route"}');
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const port = (server.address() as { port: number }).port;

const browser = await chromium.launch({
  executablePath: process.env['ORC_CHROMIUM'] ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-dev-shm-usage'],
});
const nodesMs: number[] = [];
const paintMs: number[] = [];
try {
  for (let t = 0; t < trials; t++) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`http://127.0.0.1:${port}/web/?poll=60000#/cluster/${encodeURIComponent(CLUSTER)}`);
    await page.waitForFunction(`document.querySelectorAll('.node').length === 200`, undefined, { timeout: 30_000 });
    nodesMs.push(await page.evaluate<number>('performance.now()'));
    // The frame after the nodes were inserted: when they are on screen.
    paintMs.push(
      await page.evaluate<number>(
        'new Promise((r) => requestAnimationFrame(() => setTimeout(() => r(performance.now()), 0)))',
      ),
    );
    await page.close();
  }
} finally {
  await browser.close();
  server.close();
}
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const round = (x: number): number => Math.round(x);
console.log(
  JSON.stringify({
    bench: 'web-first-paint',
    instances: 200,
    trials,
    nodes_in_dom_ms: { median: round(median(nodesMs)), max: round(Math.max(...nodesMs)) },
    painted_ms: { median: round(median(paintMs)), max: round(Math.max(...paintMs)) },
    goal_ms: 1000,
  }),
);
