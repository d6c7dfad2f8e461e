// TcpTransport over real sockets on 127.0.0.1 with port 0 (an integration test: unit tests open
// no sockets). Every wait is on an event, bounded by jest's timeout.
import { describe, it, expect, afterEach } from '@jest/globals';
import { connect, type Socket } from 'node:net';
import { nodeId, type NodeId } from '../src/core/types.js';
import type { LogFields, Logger } from '../src/logger.js';
import type { TransportHandlers } from '../src/ports.js';
import { encodeFrame, FrameKind } from '../src/transport/frame.js';
import { TcpTransport } from '../src/transport/tcp-transport.js';
import { ManualClock, waitFor } from '@orc/testkit';
import type { TcpTransportOptions } from '../src/transport/tcp-options.js';

const open: TcpTransport[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((t) => t.close()));
});

interface Recorder extends Logger {
  readonly lines: { level: string; msg: string; fields?: LogFields }[];
  waitFor(pred: (l: { msg: string; fields?: LogFields }) => boolean): Promise<{ msg: string; fields?: LogFields }>;
}
function recorder(): Recorder {
  const lines: { level: string; msg: string; fields?: LogFields }[] = [];
  const waiters: {
    pred: (l: { msg: string; fields?: LogFields }) => boolean;
    resolve: (l: { msg: string; fields?: LogFields }) => void;
  }[] = [];
  const rec = (level: string) => (msg: string, fields?: LogFields) => {
    const line = fields === undefined ? { level, msg } : { level, msg, fields };
    lines.push(line);
    for (const w of [...waiters]) {
      if (!w.pred(line)) continue;
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(line);
    }
  };
  return {
    lines,
    debug: rec('debug'),
    info: rec('info'),
    warn: rec('warn'),
    error: rec('error'),
    waitFor: (pred) => {
      const hit = lines.find(pred);
      return hit ? Promise.resolve(hit) : new Promise((resolve) => waiters.push({ pred, resolve }));
    },
  };
}

interface Node {
  t: TcpTransport;
  log: Recorder;
  frames: { from: NodeId; text: string }[];
  next(): Promise<{ from: NodeId; text: string }>;
  unreachable: string[];
}

async function start(
  id: string,
  extra: Partial<TcpTransportOptions> = {},
  onFrame?: TransportHandlers['onFrame'],
): Promise<Node> {
  const log = recorder();
  const t = new TcpTransport({
    localId: nodeId(id),
    bind: { host: '127.0.0.1', port: 0 },
    clusterId: 'c1',
    logger: log,
    ...extra,
  });
  open.push(t);
  const frames: { from: NodeId; text: string }[] = [];
  const waiting: ((f: { from: NodeId; text: string }) => void)[] = [];
  const unreachable: string[] = [];
  await t.listen({
    onFrame:
      onFrame ??
      ((from, payload) => {
        const f = { from, text: Buffer.from(payload).toString() };
        const w = waiting.shift();
        if (w) w(f);
        else frames.push(f);
      }),
    onPeerUnreachable: (_peer, reason) => unreachable.push(reason),
  });
  const next = (): Promise<{ from: NodeId; text: string }> => {
    const f = frames.shift();
    return f ? Promise.resolve(f) : new Promise((resolve) => waiting.push(resolve));
  };
  return { t, log, frames, next, unreachable };
}

const send = (a: Node, b: Node, text: string): void => {
  a.t.setPeer(b.t.localId, b.t.localAddress);
  a.t.send(b.t.localId, Buffer.from(text));
};

function rawSocket(node: Node): Promise<Socket> {
  const [host, port] = node.t.localAddress.split(':');
  return new Promise((resolve, reject) => {
    const s = connect({ host: host!, port: Number(port) }, () => resolve(s));
    s.resume();
    s.on('error', reject);
  });
}

const closed = (s: Socket): Promise<void> =>
  new Promise((resolve) => (s.destroyed ? resolve() : s.on('close', () => resolve())));

describe('TcpTransport', () => {
  it('delivers payloads in order with the authenticated sender', async () => {
    const a = await start('a');
    const b = await start('b');
    for (let i = 0; i < 100; i++) send(a, b, `m${i}`);
    const got: string[] = [];
    for (let i = 0; i < 100; i++) got.push((await b.next()).text);
    expect(got).toEqual(Array.from({ length: 100 }, (_, i) => `m${i}`));
    expect(b.frames).toEqual([]);
    send(b, a, 'back');
    expect(await a.next()).toEqual({ from: 'b', text: 'back' });
  });

  it('learns the address of a dialer it did not know, to answer it', async () => {
    const a = await start('a');
    const b = await start('b');
    send(a, b, 'hello b');
    await b.next();
    b.t.send(a.t.localId, Buffer.from('hello a'));
    expect(await a.next()).toEqual({ from: 'b', text: 'hello a' });
    expect(b.t.peerAddress(a.t.localId)).toBe(a.t.localAddress);
  });

  it('authenticates with a shared secret', async () => {
    const secret = 'correct horse battery staple';
    const a = await start('a', { secret });
    const b = await start('b', { secret });
    send(a, b, 'secret hello');
    expect(await b.next()).toEqual({ from: 'a', text: 'secret hello' });
  });

  it('refuses a peer with the wrong secret or none, and keeps serving', async () => {
    const b = await start('b', { secret: 'the right secret value' });
    const wrong = await start('x', { secret: 'a wrong secret value!!' });
    send(wrong, b, 'nope');
    await wrong.log.waitFor(
      (l) =>
        l.msg === 'raft transport: peer unreachable' &&
        l.fields?.['reason'] === 'handshake failed: peer failed to prove the shared secret',
    );
    await b.log.waitFor(
      (l) => l.msg === 'raft transport: connection closed during handshake' && l.fields?.['state'] === 'auth',
    );
    const none = await start('y');
    send(none, b, 'nope');
    await none.log.waitFor(
      (l) =>
        l.msg === 'raft transport: peer unreachable' &&
        String(l.fields?.['reason']).includes('requires a shared secret'),
    );
    const good = await start('a', { secret: 'the right secret value' });
    send(good, b, 'yes');
    expect(await b.next()).toEqual({ from: 'a', text: 'yes' });
  });

  it('refuses a node of another cluster with a logged reason', async () => {
    const b = await start('b');
    const other = await start('z', { clusterId: 'other' });
    send(other, b, 'hi');
    const line = await b.log.waitFor((l) => l.msg === 'raft transport: connection refused');
    expect(line.fields?.['reason']).toBe('cluster id mismatch: peer is in cluster "other"');
    await other.log.waitFor((l) =>
      String(l.fields?.['reason']).startsWith('handshake failed: refused by peer: cluster id mismatch'),
    );
    expect(other.unreachable.length).toBeGreaterThan(0);
  });

  it('closes connections sending garbage, oversized, early DATA or truncated frames; keeps serving', async () => {
    const b = await start('b', { maxFrameBytes: 1024 });
    const cases: [Buffer, string][] = [
      [Buffer.from('GET / HTTP/1.1\r\n\r\n'), 'frame larger than the maximum frame size'],
      [Buffer.from([0, 0, 0, 1, 42, 0]), 'unknown frame kind'],
      [encodeFrame(FrameKind.Hello, Buffer.from('{garbage')), 'HELLO: not valid JSON'],
      [encodeFrame(FrameKind.Data, Buffer.from('early')), 'unexpected frame kind 6 in state hello'],
    ];
    for (const [bytes, reason] of cases) {
      const s = await rawSocket(b);
      s.write(bytes);
      await b.log.waitFor((l) => l.fields?.['reason'] === reason);
      await closed(s);
    }
    const s = await rawSocket(b);
    s.end(encodeFrame(FrameKind.Hello, Buffer.from('{"v":1,"cluster":"c1"}')).subarray(0, 9));
    await b.log.waitFor((l) => l.msg === 'raft transport: connection closed mid-frame (truncated frame)');
    const a = await start('a');
    send(a, b, 'still serving');
    expect((await b.next()).text).toBe('still serving');
  });

  it('closes the connection when the receiver refuses a payload, then reconnects', async () => {
    let refuseNext = true;
    const seen: string[] = [];
    let gotGood!: () => void;
    const good = new Promise<void>((r) => (gotGood = r));
    const b = await start('b', {}, (_from, payload) => {
      const text = Buffer.from(payload).toString();
      if (refuseNext) {
        refuseNext = false;
        throw new Error('unknown message type 200');
      }
      seen.push(text);
      if (text === 'good') gotGood();
    });
    const a = await start('a', { backoff: { initialMs: 1, maxMs: 5 } });
    send(a, b, 'bad');
    await b.log.waitFor((l) => l.fields?.['reason'] === 'payload refused: unknown message type 200');
    await a.log.waitFor((l) => l.msg === 'raft transport: peer unreachable');
    // Keep sending until the reconnected connection carries one through.
    const timer = setInterval(() => a.t.send(b.t.localId, Buffer.from('good')), 5);
    await good;
    clearInterval(timer);
    expect(seen[0]).toBe('good');
  });

  it('reports an unreachable peer and drops payloads beyond the queue bound', async () => {
    const a = await start('a', { maxQueueBytes: 10, backoff: { initialMs: 1000, maxMs: 1000 } });
    a.t.setPeer(nodeId('gone'), '127.0.0.1:1');
    a.t.send(nodeId('gone'), Buffer.from('123456'));
    a.t.send(nodeId('gone'), Buffer.from('123456'));
    expect(a.unreachable).toContain('send queue full: payload dropped');
    await a.log.waitFor((l) => l.msg === 'raft transport: peer unreachable');
    a.t.setPeer(nodeId('big'), '127.0.0.1:1');
    a.t.send(nodeId('big'), Buffer.alloc(17 * 1024 * 1024));
    expect(a.unreachable).toContain('payload larger than the maximum frame size: dropped');
    a.t.send(nodeId('nobody'), Buffer.from('x'));
    expect(a.unreachable).toContain('no address known for peer');
  });

  it('closes idle connections on the injected clock and reconnects on the next send', async () => {
    const clock = new ManualClock();
    const a = await start('a', { clock, idleTimeoutMs: 1000 });
    const b = await start('b');
    send(a, b, 'one');
    await b.next();
    expect(a.t.stats.peers['b']?.state).toBe('open');
    clock.advance(2000);
    expect(a.t.stats.peers['b']?.state).toBe('idle');
    await a.log.waitFor((l) => l.msg === 'raft transport: idle connection closed');
    send(a, b, 'two');
    expect((await b.next()).text).toBe('two');
  });

  it('resolves a peer name through the injected lookup at each dial, so a moved peer is found', async () => {
    const hosts: Record<string, string> = { 'peer-b': '127.0.0.1' };
    const asked: string[] = [];
    // Node asks for every address (`all`) when it may try several families.
    const lookup: TcpTransportOptions['lookup'] = (hostname, options, callback) => {
      asked.push(hostname);
      const address = hosts[hostname];
      if (address === undefined)
        callback(Object.assign(new Error(`${hostname} not found`), { code: 'ENOTFOUND' }), '', 4);
      else if (options.all === true) callback(null, [{ address, family: 4 }]);
      else callback(null, address, 4);
    };
    const a = await start('a', { lookup });
    const b1 = await start('b', { bind: { host: '127.0.0.1', port: 0 } });
    const port = Number(b1.t.localAddress.split(':')[1]);
    a.t.setPeer(nodeId('b'), `peer-b:${port}`);
    a.t.send(nodeId('b'), Buffer.from('first'));
    expect((await b1.next()).text).toBe('first');
    // "b" restarts on another loopback address under the same name and port.
    await b1.t.close();
    hosts['peer-b'] = '127.0.0.2';
    const b2 = await start('b', { bind: { host: '127.0.0.2', port } });
    // A payload written before the close is noticed is lost (Raft resends): keep sending until a
    // redial resolves the new address and one arrives.
    await waitFor('a payload reaches b at its new address', () => {
      a.t.send(nodeId('b'), Buffer.from('second'));
      return b2.frames.length > 0;
    });
    expect(b2.frames[0]?.text).toBe('second');
    expect(asked.filter((h) => h === 'peer-b').length).toBeGreaterThanOrEqual(2);
  });

  it('validates its options, reporting every problem', () => {
    expect(
      () =>
        new TcpTransport({
          localId: nodeId(''),
          bind: { host: '127.0.0.1', port: -1 },
          clusterId: '',
          maxFrameBytes: 0,
          peers: { b: 'nohost' },
          secret: 'short',
        }),
    ).toThrow(/localId.*clusterId.*bind.port.*peers.b.*secret.*maxFrameBytes/);
  });
});
