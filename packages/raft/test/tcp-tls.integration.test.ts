// Mutual TLS between two TcpTransports with certificates from a throwaway CA (openssl), and a
// peer whose certificate comes from another CA being refused.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeId, TcpTransport, type Logger, type LogFields } from '@orc/raft';

const dir = mkdtempSync(join(tmpdir(), 'orc-raft-tls-'));
const open: TcpTransport[] = [];
const ossl = (...args: string[]): void => {
  execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
};

function makeCa(name: string): void {
  ossl(
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-keyout',
    `${name}.key`,
    '-out',
    `${name}.crt`,
    '-days',
    '1',
    '-subj',
    `/CN=${name}`,
  );
}
function makeCert(name: string, ca: string): { key: string; cert: string } {
  ossl(
    'req',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-keyout',
    `${name}.key`,
    '-out',
    `${name}.csr`,
    '-subj',
    `/CN=${name}`,
  );
  ossl(
    'x509',
    '-req',
    '-in',
    `${name}.csr`,
    '-CA',
    `${ca}.crt`,
    '-CAkey',
    `${ca}.key`,
    '-CAcreateserial',
    '-out',
    `${name}.crt`,
    '-days',
    '1',
  );
  return { key: readFileSync(join(dir, `${name}.key`), 'utf8'), cert: readFileSync(join(dir, `${name}.crt`), 'utf8') };
}

let ca = '';
let a: { key: string; cert: string };
let b: { key: string; cert: string };
let stranger: { key: string; cert: string };
beforeAll(() => {
  makeCa('ca');
  makeCa('other-ca');
  ca = readFileSync(join(dir, 'ca.crt'), 'utf8');
  a = makeCert('a', 'ca');
  b = makeCert('b', 'ca');
  stranger = makeCert('x', 'other-ca');
});
afterAll(async () => {
  await Promise.all(open.map((t) => t.close()));
  rmSync(dir, { recursive: true, force: true });
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
      tls: { ...stranger, ca: readFileSync(join(dir, 'other-ca.crt'), 'utf8') },
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
