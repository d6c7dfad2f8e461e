// Memory an unauthenticated client can make a node hold (issue 12): N connections each
// announce a frame of 16 MiB minus one byte and send PAYLOAD bytes of it, without ever
// authenticating. Prints one JSON line: the victim's RSS before, during and after the flood,
// and how many connections it kept open. Run after `pnpm --filter @orc/raft build`:
//   node tools/bench/raft/preauth-flood.ts [--conns 128] [--payload-mb 4]
// BENCH_RAFT_DIST=<path to a built index.js> measures another build. Loopback only.
import { fork } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const arg = (name: string, d: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : d;
};
const CONNS = arg('conns', 128);
const PAYLOAD = arg('payload-mb', 4) * 1024 * 1024;

const victim = fork(join(dirname(fileURLToPath(import.meta.url)), 'preauth-victim.mjs'), [], {
  execArgv: ['--expose-gc'],
});
const next = (): Promise<Record<string, unknown>> => new Promise((r) => victim.once('message', r as never));
const { address } = (await next()) as { address: string };
const measure = async (): Promise<Record<string, unknown>> => {
  victim.send('measure');
  return next();
};
const settle = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const before = await measure();
const sockets: Socket[] = [];
let closedByVictim = 0;
let isTearingDown = false;
const header = Buffer.alloc(5);
header.writeUInt32BE(16 * 1024 * 1024 - 1, 0);
header[4] = 1; // HELLO
const body = Buffer.alloc(1024 * 1024, 0x61);
await Promise.all(
  Array.from(
    { length: CONNS },
    () =>
      new Promise<void>((resolve) => {
        const s = connect({ host: '127.0.0.1', port: Number(address.split(':')[1]) });
        sockets.push(s);
        s.on('error', () => undefined); // counted through 'close'
        s.on('close', () => {
          if (!isTearingDown) closedByVictim++;
          resolve();
        });
        s.on('connect', async () => {
          s.write(header);
          for (let sent = 0; sent < PAYLOAD && !s.destroyed; sent += body.length) {
            if (!s.write(body)) await new Promise((r) => s.once('drain', r));
          }
          resolve();
        });
      }),
  ),
);
await settle(500);
const during = await measure();
isTearingDown = true;
for (const s of sockets) s.destroy();
await settle(1000);
const after = await measure();
victim.send('stop');
console.log(
  JSON.stringify({
    conns: CONNS,
    payloadMb: PAYLOAD / 1048576,
    closedByVictim,
    rssMb: { before: before['rssMb'], during: during['rssMb'], after: after['rssMb'] },
    during,
  }),
);
