// A replicated key-value HTTP service on @orc/raft: one process per node, TCP between nodes,
// the Raft log in SQLite, snapshots in files. Run three (see README.md):
//   node server.ts --id a --raft 127.0.0.1:7001 --http 127.0.0.1:8001 \
//     --peers a=127.0.0.1:7001,b=127.0.0.1:7002,c=127.0.0.1:7003 --data ./data/a
// PUT /kv/<key> (body = value) on the leader; GET /kv/<key>[?linearizable]; GET /kv; GET /status.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { FileSnapshotStore, Raft, SqliteLogStore, TcpTransport, isRaftError, nodeId } from '@orc/raft';
import type { AppliedEntry, SnapshotSource, SnapshotWriter, StateMachine } from '@orc/raft';

const { values: opt } = parseArgs({
  options: {
    id: { type: 'string' },
    raft: { type: 'string' },
    http: { type: 'string' },
    peers: { type: 'string' },
    data: { type: 'string' },
    'snapshot-threshold': { type: 'string', default: '8192' },
    secret: { type: 'string' },
  },
});
if (!opt.id || !opt.raft || !opt.http || !opt.peers || !opt.data) {
  console.error('usage: server.ts --id a --raft host:port --http host:port --peers a=host:port,... --data dir');
  process.exit(2);
}
const peers = Object.fromEntries(opt.peers.split(',').map((p) => p.split('=') as [string, string]));
const hostPort = (a: string): [string, number] => [
  a.slice(0, a.lastIndexOf(':')),
  Number(a.slice(a.lastIndexOf(':') + 1)),
];

// The state machine: a Map. Commands are JSON; apply returns the previous value.
const kv = new Map<string, string>();
const stateMachine: StateMachine<string | null> = {
  apply(entry: AppliedEntry) {
    const cmd = JSON.parse(Buffer.from(entry.data).toString('utf8')) as { key: string; value: string };
    const previous = kv.get(cmd.key) ?? null;
    kv.set(cmd.key, cmd.value);
    return previous;
  },
  snapshot() {
    const copy = Buffer.from(JSON.stringify([...kv]));
    return { persist: (sink: SnapshotWriter) => sink.write(copy) };
  },
  async restore(source: SnapshotSource) {
    const pairs = JSON.parse(Buffer.from(await source.read(0, source.size)).toString('utf8')) as [string, string][];
    kv.clear();
    for (const [k, v] of pairs) kv.set(k, v);
  },
};

const store = SqliteLogStore.open({ dir: opt.data });
const [raftHost, raftPort] = hostPort(opt.raft);
const raft = await Raft.create({
  config: { id: opt.id, peers, snapshotThreshold: Number(opt['snapshot-threshold']), snapshotTrailing: 16 },
  stateMachine,
  logStore: store,
  stableStore: store,
  snapshotStore: new FileSnapshotStore({ dir: join(opt.data, 'snapshots') }),
  transport: new TcpTransport({
    localId: nodeId(opt.id),
    bind: { host: raftHost, port: raftPort },
    clusterId: 'kv-http-example',
    peers,
    secret: opt.secret,
  }),
  logger: {
    debug() {},
    info: (msg, f) => console.log(JSON.stringify({ msg, ...f })),
    warn: (msg, f) => console.warn(JSON.stringify({ msg, ...f })),
    error: (msg, f) => console.error(JSON.stringify({ msg, ...f })),
  },
});

const reply = (res: ServerResponse, status: number, body: unknown): void => {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
};
const readBody = async (req: IncomingMessage): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};

const http = createServer((req, res) => {
  void (async () => {
    const url = new URL(req.url ?? '/', 'http://x');
    const key = url.pathname.startsWith('/kv/') ? decodeURIComponent(url.pathname.slice(4)) : null;
    try {
      if (req.method === 'PUT' && key) {
        const value = await readBody(req);
        const previous = await raft.apply(Buffer.from(JSON.stringify({ key, value })), { timeoutMs: 3000 });
        return reply(res, 200, { key, value, previous });
      }
      if (req.method === 'GET' && key) {
        if (url.searchParams.has('linearizable')) await raft.linearizableRead({ timeoutMs: 3000 });
        return kv.has(key) ? reply(res, 200, { key, value: kv.get(key) }) : reply(res, 404, { key });
      }
      if (req.method === 'GET' && url.pathname === '/kv') return reply(res, 200, Object.fromEntries(kv));
      if (req.method === 'GET' && url.pathname === '/status')
        return reply(res, 200, { ...raft.stats(), leader: raft.leader() });
      return reply(res, 404, { error: 'not found' });
    } catch (err) {
      if (isRaftError(err)) {
        // TIMEOUT, LEADERSHIP_LOST and SHUTDOWN: the write may or may not have happened.
        const status =
          err.code === 'NOT_LEADER'
            ? 421
            : err.code === 'TIMEOUT' || err.code === 'LEADERSHIP_LOST' || err.code === 'SHUTDOWN'
              ? 504
              : 503;
        if (err.retryable) res.setHeader('retry-after', '1');
        return reply(res, status, { error: err.code, message: err.message, leader: err.leaderId });
      }
      return reply(res, 500, { error: String(err) });
    }
  })();
});
const [httpHost, httpPort] = hostPort(opt.http);
http.listen(httpPort, httpHost, () =>
  console.log(JSON.stringify({ msg: 'kv-http listening', id: opt.id, http: opt.http, raft: opt.raft })),
);

// A fatal error (a store failed, or the log failed its checksum) stops Raft for good: this
// process must not go on answering reads from a state machine that no longer follows the
// group. Exit non-zero so the supervisor restarts it (or an operator looks: a damaged log is
// fixed by wiping this node's data directory; it is then provisioned from the leader).
raft.on('fatalError', ({ error }) => {
  console.error(JSON.stringify({ msg: 'raft stopped after a fatal error: exiting', reason: error.message }));
  http.close();
  http.closeAllConnections();
  process.exitCode = 1;
  void store.close().finally(() => process.exit(1));
});
// Snapshots failing (a full or read-only disk): the node keeps serving until its log reaches
// maxLogEntries, then refuses writes with LOG_FULL. Tell the operator now.
raft.on('snapshotFailed', (e) => console.warn(JSON.stringify({ msg: 'raft snapshot failed', ...e })));

const shutdown = (): void => {
  http.close();
  void raft
    .stop()
    .then(() => store.close())
    .then(() => process.exit(0));
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
