// Mutual TLS between two TcpTransports with certificates from a throwaway CA (openssl), and a
// peer whose certificate comes from another CA being refused.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { nodeId, TcpTransport, type Logger, type LogFields } from '@orc/raft';
import { certDir, type KeyPair } from './support/tls-certs.js';

const certs = certDir('orc-raft-tls-');
const open: TcpTransport[] = [];

let ca = '';
let otherCa = '';
let a: KeyPair;
let b: KeyPair;
let stranger: KeyPair;
beforeAll(() => {
  ca = certs.makeCa('ca').cert;
  otherCa = certs.makeCa('other-ca').cert;
  a = certs.makeCert('a', 'ca');
  b = certs.makeCert('b', 'ca');
  stranger = certs.makeCert('x', 'other-ca');
});
afterAll(async () => {
  await Promise.all(open.map((t) => t.close()));
  certs.remove();
});

function logger(lines: { msg: string; fields?: LogFields }[]): Logger {
  const rec = (msg: string, fields?: LogFields): void => {
    lines.push(fields === undefined ? { msg } : { msg, fields });
  };
  return { debug: rec, info: rec, warn: rec, error: rec };
}

describe('TcpTransport with mutual TLS', () => {
  it('delivers between nodes whose certificates share the CA and refuses another CA', async () => {
    const received: string[] = [];
    let got!: () => void;
    const arrived = new Promise<void>((r) => (got = r));
    const bLines: { msg: string; fields?: LogFields }[] = [];
    const tb = new TcpTransport({
      localId: nodeId('b'),
      bind: { host: '127.0.0.1', port: 0 },
      clusterId: 'tls',
      tls: { ...b, ca },
      logger: logger(bLines),
    });
    open.push(tb);
    await tb.listen({
      onFrame: (_from, p) => {
        received.push(Buffer.from(p).toString());
        got();
      },
    });
    const ta = new TcpTransport({
      localId: nodeId('a'),
      bind: { host: '127.0.0.1', port: 0 },
      clusterId: 'tls',
      tls: { ...a, ca },
    });
    open.push(ta);
    await ta.listen({ onFrame: () => undefined });
    ta.setPeer(nodeId('b'), tb.localAddress);
    ta.send(nodeId('b'), Buffer.from('over tls'));
    await arrived;
    expect(received).toEqual(['over tls']);

    const unreachable: string[] = [];
    let refused!: () => void;
    const wasRefused = new Promise<void>((r) => (refused = r));
    const tx = new TcpTransport({
      localId: nodeId('x'),
      bind: { host: '127.0.0.1', port: 0 },
      clusterId: 'tls',
      tls: { ...stranger, ca: otherCa },
    });
    open.push(tx);
    await tx.listen({
      onFrame: () => undefined,
      onPeerUnreachable: (_p, reason) => {
        unreachable.push(reason);
        refused();
      },
    });
    tx.setPeer(nodeId('b'), tb.localAddress);
    tx.send(nodeId('b'), Buffer.from('let me in'));
    await wasRefused;
    expect(received).toEqual(['over tls']);
    expect(unreachable[0]).toMatch(/certificate|self-signed|unable to verify/i);
  }, 20_000);
});
