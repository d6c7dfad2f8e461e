// The listening node of preauth-flood.ts, in its own process so that its resident memory is
// its own: a TcpTransport with a shared secret on 127.0.0.1, built package (dist) like
// bench-node.mjs. Answers {rss, stats} on the IPC channel for each 'measure' message.
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';

const dist = process.env['BENCH_RAFT_DIST'];
const { TcpTransport, nodeId } = await import(
  dist === undefined || dist === '' ? '../../../packages/raft/dist/index.js' : pathToFileURL(resolve(dist)).href
);
const t = new TcpTransport({
  localId: nodeId('victim'),
  bind: { host: '127.0.0.1', port: 0 },
  clusterId: 'flood',
  secret: 'the secret nobody in the flood has',
  connectTimeoutMs: 60_000, // the flood must not be cleared by the handshake deadline
});
await t.listen({ onFrame: () => undefined });
process.on('message', (m) => {
  if (m === 'measure') {
    globalThis.gc?.();
    const s = t.stats;
    process.send?.({
      rssMb: Math.round(process.memoryUsage().rss / 1048576),
      inbound: s.inboundConnections,
      handshaking: s.handshakingConnections ?? null,
      refused: s.refusedConnections,
    });
  } else if (m === 'stop') void t.close().then(() => process.exit(0));
});
process.send?.({ address: t.localAddress });
