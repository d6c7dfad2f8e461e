// A tiny MySQL-protocol server for dialect tests: answers statements from a function, rejects the
// rest with ER_PARSE_ERROR (1064), like a server that does not know them. The protocol side is
// testenv's `serveFakeMysqlConnection`, shared with the discovery benchmark's fleet.
import { createServer } from 'mysql2';
import { serveFakeMysqlConnection, type FakeMysqlAnswer, type FakeMysqlConnection } from '@orc/testenv';
import { Mysql2Connector, systemClock } from '../src/index.js';

export interface FakeMysqlServer {
  readonly port: number;
  /** Every statement the server was sent, in order. */
  readonly statements: string[];
  close(): Promise<void>;
}

/**
 * Starts a fake server on 127.0.0.1 (port chosen by the system) answering by `answer(sql)`; a
 * statement on which `answer` throws gets error 1105 naming the statement and the error.
 */
export async function startFakeMysqlServer(
  version: string,
  answer: (sql: string) => FakeMysqlAnswer | undefined,
): Promise<FakeMysqlServer> {
  const statements: string[] = [];
  const conns: FakeMysqlConnection[] = [];
  const server = createServer((c) => {
    const conn = c as unknown as FakeMysqlConnection;
    conns.push(conn);
    serveFakeMysqlConnection(conn, {
      serverVersion: version,
      connectionId: conns.length,
      // A throw inside the fake would leave the client hanging: turn it into an error answer the test sees.
      answer: (sql) => {
        try {
          return answer(sql);
        } catch (error) {
          return { errno: 1105, message: `fake failed on ${sql}: ${String(error)}` };
        }
      },
      onStatement: (statement) => statements.push(statement),
    });
  }) as unknown as {
    listen(port: number, host: string, cb: () => void): void;
    close(cb: () => void): void;
    _server: { address(): { port: number } };
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = server._server.address().port;
  return {
    port,
    statements,
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of conns) c.stream.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * The connector the recovery and refactoring tests reach fake servers with: any user is let in,
 * and the bounds are short, as befits a server on loopback.
 *
 * @example
 * ```ts
 * const ops = new RefactorOps({ connector: fakeServerConnector(), clock: systemClock, topology });
 * ```
 */
export function fakeServerConnector(): Mysql2Connector {
  return new Mysql2Connector({
    user: 'orc',
    password: 'x',
    connectTimeoutMs: 500,
    statementTimeoutMs: 2000,
    clock: systemClock,
  });
}
