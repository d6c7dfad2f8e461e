// A running node over TCP fed garbage by a peer that completed the handshake: the payload is
// refused with a logged reason, that connection is closed, and the node keeps serving.
import { describe, it, expect, afterAll } from '@jest/globals';
import { connect, type Socket } from 'node:net';
import {
  MemorySnapshotStore,
  MemoryStore,
  Raft,
  TcpTransport,
  nodeId,
  type LogFields,
  type Logger,
  type StateMachine,
} from '@orc/raft';
import { waitFor } from '@orc/testkit';

const lines: { msg: string; fields?: LogFields }[] = [];
const rec = (msg: string, fields?: LogFields): void => {
  lines.push(fields === undefined ? { msg } : { msg, fields });
};
const logger: Logger = { debug: rec, info: rec, warn: rec, error: rec };

const sm: StateMachine<number> = {
  apply: (e) => e.data.byteLength,
  snapshot: () => ({ persist: async () => undefined }),
  restore: async () => undefined,
};

let raft: Raft<number> | undefined;
afterAll(async () => {
  await raft?.stop();
});

const frame = (kind: number, payload: Buffer): Buffer => {
  const h = Buffer.alloc(5);
  h.writeUInt32BE(payload.length, 0);
  h[4] = kind;
  return Buffer.concat([h, payload]);
};

describe('a node fed garbage by a handshaken peer', () => {
  it('refuses it with a logged reason, closes that connection and keeps serving', async () => {
    const store = new MemoryStore();
    const transport = new TcpTransport({
      localId: nodeId('solo'),
      bind: { host: '127.0.0.1', port: 0 },
      clusterId: 'c',
      logger,
    });
    raft = await Raft.create({
      config: { id: 'solo' },
      stateMachine: sm,
      logStore: store,
      stableStore: store,
      snapshotStore: new MemorySnapshotStore(),
      transport,
      logger,
    });
    await waitFor('the single node to lead', () => raft!.state === 'leader', { timeoutMs: 5000 });
    expect(await raft.apply(Buffer.from('abc'))).toBe(3);

    const [host, port] = transport.localAddress.split(':');
    const s: Socket = connect({ host: host!, port: Number(port) });
    s.resume();
    await new Promise((r) => s.once('connect', r));
    s.write(frame(1, Buffer.from(JSON.stringify({ v: 1, cluster: 'c', from: 'evil', nonce: '00' }))));
    s.write(frame(6, Buffer.from([1, 200, 0, 0, 0, 0])));
    await new Promise((r) => s.once('close', r));
    const refusal = await waitFor('the refusal to be logged', () =>
      lines.find((l) => l.msg === 'raft transport: connection refused'),
    );
    expect(refusal.fields?.['reason']).toBe('payload refused: unknown message type 200');
    expect(refusal.fields?.['peer']).toBe('evil');

    expect(await raft.apply(Buffer.from('still here'))).toBe(10);
  });
});
