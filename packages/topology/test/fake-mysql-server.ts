// A tiny MySQL-protocol server (mysql2's server side) for dialect tests: answers statements from
// a table, rejects the rest with ER_PARSE_ERROR (1064), like a server that does not know them.
import { createServer } from 'mysql2';

type Answer = { columns: string[]; rows: unknown[][] } | { errno: number; message: string } | { hang: true };

interface ServerConn {
  sequenceId: number;
  stream: { on(e: string, cb: () => void): void; destroy(): void };
  serverHandshake(args: Record<string, unknown>): void;
  writeOk(args?: unknown): void;
  on(event: 'query', cb: (sql: string) => void): void;
  on(event: 'error', cb: () => void): void;
  writeColumns(columns: unknown[]): void;
  writeTextRow(row: unknown[]): void;
  writeEof(warnings?: number, statusFlags?: number): void;
  writeError(args: { code: number; message: string }): void;
}

const column = (name: string) => ({
  catalog: 'def',
  schema: '',
  table: '',
  orgTable: '',
  name,
  orgName: name,
  characterSet: 33,
  columnLength: 255,
  columnType: 253,
  flags: 0,
  decimals: 0,
});

export interface FakeMysqlServer {
  readonly port: number;
  readonly statements: string[];
  close(): Promise<void>;
}

/** Starts a fake server on 127.0.0.1 (port chosen by the system) answering by `answer(sql)`. */
export async function startFakeMysqlServer(
  version: string,
  answer: (sql: string) => Answer | undefined,
): Promise<FakeMysqlServer> {
  const statements: string[] = [];
  const conns: ServerConn[] = [];
  const onConnection = (conn: ServerConn): void => {
    conns.push(conn);
    conn.on('error', () => {});
    conn.stream.on('error', () => {});
    const writeOk = conn.writeOk.bind(conn);
    conn.writeOk = (args?: unknown) => {
      writeOk(args);
      conn.sequenceId = 0;
    };
    conn.serverHandshake({
      protocolVersion: 10,
      serverVersion: version,
      connectionId: conns.length,
      statusFlags: 2,
      characterSet: 8,
      capabilityFlags: 0xffffff & ~0x800,
    });
    conn.on('query', (sql) => {
      const parts = sql
        .split(';')
        .map((x) => x.trim())
        .filter((x) => x !== '');
      for (let n = 0; n < parts.length; n++) {
        const statement = parts[n]!;
        statements.push(statement);
        const a = answer(statement) ?? {
          errno: 1064,
          message: `You have an error in your SQL syntax near '${statement}'`,
        };
        if ('hang' in a) return; // never answer: the client's read timeout must end it
        if ('errno' in a) {
          conn.writeError({ code: a.errno, message: a.message });
          break; // a server stops a multi-statement batch at the first error
        }
        conn.writeColumns(a.columns.map(column));
        for (const r of a.rows) conn.writeTextRow(r.map((v) => (v === null ? null : String(v))));
        conn.writeEof(0, 0x0002 | (n < parts.length - 1 ? 0x0008 : 0));
      }
      conn.sequenceId = 0;
    });
  };
  const server = createServer((c) => onConnection(c as unknown as ServerConn)) as unknown as {
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
