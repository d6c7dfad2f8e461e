// A small HTTP server on 127.0.0.1 standing in for one orc node: leader or follower, answering
// leader-check and routed-leader-check as orchestrator does, and recording what it was asked.
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One stand-in node. */
export interface StandInNode {
  readonly url: string;
  /** Paths asked, in order. */
  readonly requests: string[];
  role: 'leader' | 'follower' | 'silent';
  /** Whether routed-leader-check reaches a leader through this node. */
  routes: boolean;
  /** Basic credentials required, `user:password`; undefined for none. */
  auth: string | undefined;
  close(): Promise<void>;
}

const send = (res: ServerResponse, status: number, body: unknown): void => {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
};

/**
 * Starts a stand-in node.
 *
 * @example
 * const leader = await startStandIn('leader');
 */
export async function startStandIn(role: StandInNode['role']): Promise<StandInNode> {
  const node: StandInNode = {
    url: '',
    requests: [],
    role,
    routes: false,
    auth: undefined,
    close: async () => undefined,
  };
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0] ?? '';
    node.requests.push(path);
    // A node that accepts and never answers: the client's 1 s bound must move on.
    if (node.role === 'silent') return;
    if (node.auth !== undefined && req.headers.authorization !== `Basic ${Buffer.from(node.auth).toString('base64')}`) {
      send(res, 401, { Code: 'ERROR', Message: 'Unauthorized', Details: null });
      return;
    }
    if (path === '/api/leader-check') {
      send(res, node.role === 'leader' ? 200 : 404, node.role === 'leader' ? 'OK' : 'Not leader');
      return;
    }
    if (path === '/api/routed-leader-check') {
      const ok = node.role === 'leader' || node.routes;
      send(res, ok ? 200 : 500, ok ? 'OK' : 'Not leader');
      return;
    }
    if (path.startsWith('/api/begin-downtime/')) {
      const [, , , host, port] = path.split('/');
      send(res, 200, {
        Code: 'OK',
        Message: `Downtime begun on ${role}`,
        Details: { Hostname: host, Port: Number(port) },
      });
      return;
    }
    if (path === '/api/clusters-info') {
      send(res, 200, [{ ClusterName: `${node.role}:3306`, ClusterAlias: '' }]);
      return;
    }
    send(res, 404, { Code: 'ERROR', Message: `no route GET ${path}`, Details: null });
  });
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
  const { port } = server.address() as AddressInfo;
  Object.assign(node, {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((res) => {
        server.closeAllConnections();
        server.close(() => res());
      }),
  });
  return node;
}
