// The server side of the MySQL protocol, from mysql2, for fakes that answer a client's
// statements from a function: dialect tests (a MySQL 8.4 that knows only its own statements) and
// the discovery benchmark's fleet of thousands of servers. mysql2 ships no types for its server
// side; `FakeMysqlConnection` is the slice of it that is used here.

/** What a fake answers to one statement. */
export type FakeMysqlAnswer =
  | { readonly columns: readonly string[]; readonly rows: readonly (readonly unknown[])[] }
  | { readonly errno: number; readonly message: string }
  /** Never answer: the client's read timeout must end it. */
  | { readonly hang: true }
  /** Close the connection at once, as a server whose host went away would (the client sees it lost). */
  | { readonly drop: true };

/** What a fake knows of the client of one connection. */
export interface FakeMysqlSession {
  /** The user the client logged in as (the fake accepts any user and password). */
  readonly user: string;
}

/** The slice of mysql2's server-side connection that the fakes use. */
export interface FakeMysqlConnection {
  sequenceId: number;
  readonly stream: {
    readonly localAddress?: string;
    on(event: string, cb: (err?: Error) => void): void;
    destroy(): void;
  };
  /** Set by mysql2 once the client's handshake reply is read. */
  readonly clientHelloReply?: { readonly user?: string };
  serverHandshake(args: Record<string, unknown>): void;
  writeOk(args?: unknown): void;
  on(event: 'query' | 'stmt_prepare', cb: (sql: string) => void): void;
  on(event: 'error', cb: (err: Error) => void): void;
  writeColumns(columns: unknown[]): void;
  writeTextRow(row: unknown[]): void;
  writeEof(warnings?: number, statusFlags?: number): void;
  writeError(args: { code: number; message: string }): void;
}

const SERVER_STATUS_AUTOCOMMIT = 0x0002;
const SERVER_MORE_RESULTS_EXISTS = 0x0008;
const CLIENT_SSL = 0x0800;
/** MySQL's ER_PARSE_ERROR: what a server says of a statement it does not know. */
const ER_PARSE_ERROR = 1064;

const textColumn = (name: string) => ({
  catalog: 'def',
  schema: '',
  table: '',
  orgTable: '',
  name,
  orgName: name,
  characterSet: 33,
  columnLength: 255,
  columnType: 253, // VAR_STRING: every value is sent as text
  flags: 0,
  decimals: 0,
});

/**
 * Serves one accepted connection: the handshake (every capability but TLS), then each query,
 * split into statements as a client with `multipleStatements` sends them, answered in order by
 * `answer`. A statement it returns nothing for gets ER_PARSE_ERROR, and, as on a real server, an
 * error ends the rest of the batch. `answer` returning `{ hang: true }` leaves the query
 * unanswered.
 *
 * @example
 * ```ts
 * import { createServer } from 'mysql2';
 * createServer((conn) =>
 *   serveFakeMysqlConnection(conn as unknown as FakeMysqlConnection, {
 *     serverVersion: '8.4.2',
 *     connectionId: 1,
 *     answer: (sql) => (sql === 'SELECT 1' ? { columns: ['1'], rows: [[1]] } : undefined),
 *   }),
 * ).listen(3306, '127.0.0.1');
 * ```
 */
export function serveFakeMysqlConnection(
  conn: FakeMysqlConnection,
  options: {
    readonly serverVersion: string;
    readonly connectionId: number;
    readonly answer: (statement: string, session: FakeMysqlSession) => FakeMysqlAnswer | undefined;
    /** Sees every statement before it is answered (tests record what a client sent). */
    readonly onStatement?: (statement: string, session: FakeMysqlSession) => void;
  },
): void {
  conn.on('error', () => {});
  conn.stream.on('error', () => {});
  // mysql2's server side keeps counting packet numbers across commands, while a client numbers
  // each command from 0: reset after the handshake's OK and after every answer.
  const writeOk = conn.writeOk.bind(conn);
  conn.writeOk = (args?: unknown) => {
    writeOk(args);
    conn.sequenceId = 0;
  };
  conn.serverHandshake({
    protocolVersion: 10,
    serverVersion: options.serverVersion,
    connectionId: options.connectionId,
    statusFlags: SERVER_STATUS_AUTOCOMMIT,
    characterSet: 8,
    capabilityFlags: 0xffffff & ~CLIENT_SSL,
  });
  const session = (): FakeMysqlSession => ({ user: conn.clientHelloReply?.user ?? '' });
  const onQuery = (sql: string): void => {
    const statements = sql
      .split(';')
      .map((x) => x.trim())
      .filter((x) => x !== '');
    for (let n = 0; n < statements.length; n++) {
      const statement = statements[n]!;
      options.onStatement?.(statement, session());
      const a = options.answer(statement, session()) ?? {
        errno: ER_PARSE_ERROR,
        message: `You have an error in your SQL syntax near '${statement}'`,
      };
      if ('hang' in a) return;
      if ('drop' in a) {
        conn.stream.destroy();
        return;
      }
      if ('errno' in a) {
        conn.writeError({ code: a.errno, message: a.message });
        break;
      }
      conn.writeColumns(a.columns.map(textColumn));
      for (const r of a.rows) conn.writeTextRow(r.map((v) => (v === null || v === undefined ? null : String(v))));
      const isLast = n === statements.length - 1;
      conn.writeEof(0, SERVER_STATUS_AUTOCOMMIT | (isLast ? 0 : SERVER_MORE_RESULTS_EXISTS));
    }
    conn.sequenceId = 0;
  };
  conn.on('query', onQuery);
  // mysql2's server side reports a text query that starts with SET (or PREPARE) as
  // 'stmt_prepare'; the fakes answer it like any other statement.
  conn.on('stmt_prepare', onQuery);
}
