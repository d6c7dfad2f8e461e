// A MariaDB 1+2 made of MySQL-protocol fakes (testenv's serveFakeMysqlConnection) that shows each
// client its own view, chosen by the user it logged in as. With real servers one orc node cannot
// see a primary dead alone: the replicas' IO threads are a fact every node reads the same. Here
// a test makes one daemon's user "blind": the primary drops its connections, and the replicas
// tell it their IO thread cannot reach the primary (Connecting, Last_IO_Errno 2003), so its own
// analysis is DeadMaster while every other user still sees a healthy 1+2.
import { createServer } from 'mysql2';
import {
  fakeMariaDbProbeAnswer,
  serveFakeMysqlConnection,
  type FakeMysqlAnswer,
  type FakeMysqlConnection,
  type FakeMysqlSession,
} from '@orc/testenv';

/** One statement a fake received. */
export interface ReceivedStatement {
  readonly server: 'primary' | 'r1' | 'r2';
  readonly user: string;
  readonly statement: string;
}

/** The running fakes. */
export interface SplitViewTopology {
  /** `127.0.0.1:<port>` of the primary. */
  readonly primaryKey: string;
  readonly primaryPort: number;
  readonly replicaPorts: readonly number[];
  /** Users to whom the primary is gone; change it at any time. */
  readonly blind: Set<string>;
  /** Every statement received, in order. */
  readonly received: readonly ReceivedStatement[];
  close(): Promise<void>;
}

const VERSION = '10.11.6-MariaDB-log';
const GTID = '0-1-100';

interface Member {
  readonly name: ReceivedStatement['server'];
  readonly serverId: number;
  port: number;
}

function answer(
  m: Member,
  members: readonly Member[],
  blind: ReadonlySet<string>,
  sql: string,
  session: FakeMysqlSession,
): FakeMysqlAnswer | undefined {
  const primary = members[0] as Member;
  const isPrimary = m === primary;
  const isBlind = blind.has(session.user);
  if (isPrimary && isBlind) return { drop: true };
  // Anything but a probe statement (a recovery's) gets ER_PARSE_ERROR: a recovery attempted
  // against these fakes starts and fails, which is all a test needs of it.
  return fakeMariaDbProbeAnswer(
    {
      host: '127.0.0.1',
      port: m.port,
      serverId: m.serverId,
      version: VERSION,
      versionComment: 'orc split-view fake',
      gtid: GTID,
      position: 1000,
      uptimeSeconds: 1000,
      replicas: isPrimary
        ? members.slice(1).map((r) => ({ serverId: r.serverId, host: '127.0.0.1', port: r.port }))
        : [],
      source: isPrimary
        ? null
        : isBlind
          ? {
              host: '127.0.0.1',
              port: primary.port,
              ioState: 'Reconnecting after a failed master event read',
              ioRunning: 'Connecting',
              lagSeconds: null,
              ioErrno: 2003,
              ioError: `error reconnecting to master 'repl@127.0.0.1:${primary.port}' - retry-time: 60  maximum-retries: 86400  message: Can't connect to server on '127.0.0.1' (111 "Connection refused")`,
            }
          : {
              host: '127.0.0.1',
              port: primary.port,
              ioState: 'Waiting for master to send event',
              ioRunning: 'Yes',
              lagSeconds: 0,
              ioErrno: 0,
              ioError: '',
            },
    },
    sql,
  );
}

/**
 * Starts the primary and two replicas on 127.0.0.1 (ports chosen by the system).
 *
 * @example
 * const topo = await startSplitViewTopology();
 * topo.blind.add('orc2'); // the daemon logging in as orc2 now sees DeadMaster; the others do not
 * await topo.close();
 */
export async function startSplitViewTopology(): Promise<SplitViewTopology> {
  const members: Member[] = [
    { name: 'primary', serverId: 1, port: 0 },
    { name: 'r1', serverId: 2, port: 0 },
    { name: 'r2', serverId: 3, port: 0 },
  ];
  const blind = new Set<string>();
  const received: ReceivedStatement[] = [];
  const conns: FakeMysqlConnection[] = [];
  const servers = await Promise.all(
    members.map(async (m) => {
      const server = createServer((c) => {
        const conn = c as unknown as FakeMysqlConnection;
        conns.push(conn);
        serveFakeMysqlConnection(conn, {
          serverVersion: VERSION,
          connectionId: conns.length,
          answer: (sql, session) => answer(m, members, blind, sql, session),
          onStatement: (statement, session) => received.push({ server: m.name, user: session.user, statement }),
        });
      }) as unknown as {
        listen(port: number, host: string, cb: () => void): void;
        close(cb: () => void): void;
        _server: { address(): { port: number } };
      };
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      m.port = server._server.address().port;
      return server;
    }),
  );
  const [primary, r1, r2] = members as [Member, Member, Member];
  return {
    primaryKey: `127.0.0.1:${primary.port}`,
    primaryPort: primary.port,
    replicaPorts: [r1.port, r2.port],
    blind,
    received,
    close: async () => {
      for (const c of conns) c.stream.destroy();
      await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    },
  };
}
