/**
 * Why a test server could not be started, stopped or used. A closed union: callers switch on it.
 *
 * - `invalid-config`: an option or a topology shape is wrong; the message names every bad field.
 * - `binary-missing`: the server's program is not installed; the message names the Debian package.
 * - `port-taken`: the port could not be bound (another process holds it).
 * - `dir-not-writable`: the server's directory could not be created or written.
 * - `process-exited`: the server process ended before it was ready; the message holds its log's tail.
 * - `start-timeout`: the server did not become ready before the deadline.
 * - `stop-timeout`: the server did not end after SIGTERM and SIGKILL.
 * - `replication-timeout`: replicas did not reach the wanted state before the deadline.
 * - `template-failed`: the cached MariaDB template datadir could not be created.
 * - `invalid-state`: the call does not fit the server's state (start while running, use after destroy).
 */
export type TestEnvErrorCode =
  | 'invalid-config'
  | 'binary-missing'
  | 'port-taken'
  | 'dir-not-writable'
  | 'process-exited'
  | 'start-timeout'
  | 'stop-timeout'
  | 'replication-timeout'
  | 'template-failed'
  | 'invalid-state';

const RETRYABLE: ReadonlySet<TestEnvErrorCode> = new Set<TestEnvErrorCode>(['port-taken', 'start-timeout']);

/** Options of {@link TestEnvError}. */
export interface TestEnvErrorOptions {
  /** The underlying error, if any. */
  cause?: unknown;
  /** Structured context (server name, port, paths) for logs and messages. */
  details?: Readonly<Record<string, unknown>>;
}

/**
 * The one error type of `@orc/testenv`.
 *
 * @example
 * ```ts
 * try { await startMariaDb(); } catch (err) {
 *   if (err instanceof TestEnvError && err.code === 'binary-missing') console.error(err.message);
 *   throw err;
 * }
 * ```
 */
export class TestEnvError extends Error {
  /** What went wrong, from a closed set. */
  readonly code: TestEnvErrorCode;
  /** Whether trying again (e.g. on another port) can help. */
  readonly retryable: boolean;
  /** Structured context for logs. */
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: TestEnvErrorCode, message: string, options: TestEnvErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TestEnvError';
    this.code = code;
    this.retryable = RETRYABLE.has(code);
    this.details = options.details ?? {};
  }
}

/** Whether `err` is a {@link TestEnvError} with the given code. */
export function isTestEnvError(err: unknown, code?: TestEnvErrorCode): err is TestEnvError {
  return err instanceof TestEnvError && (code === undefined || err.code === code);
}
