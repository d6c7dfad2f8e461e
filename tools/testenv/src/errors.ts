/**
 * Why a test server could not be started, stopped or used. A closed union: callers switch on it.
 *
 * - `INVALID_CONFIG`: an option or a topology shape is wrong; `details` names every bad field.
 * - `BINARY_MISSING`: the server's program is not installed; the message names the Debian package.
 * - `PORT_TAKEN`: the port could not be bound (another process holds it).
 * - `DIR_NOT_WRITABLE`: the server's directory could not be created or written.
 * - `PROCESS_EXITED`: the server process ended before it was ready; the message holds its log's tail.
 * - `START_TIMEOUT`: the server did not become ready before the deadline.
 * - `STOP_TIMEOUT`: the server did not end after SIGTERM and SIGKILL.
 * - `REPLICATION_TIMEOUT`: replicas did not reach the wanted state before the deadline.
 * - `TEMPLATE_FAILED`: the cached MariaDB template datadir could not be created.
 * - `LOCK_TIMEOUT`: a lock file (the template's) stayed held by a live process past the deadline.
 * - `NETWORK_SETUP_FAILED`: a network namespace, veth link, address or route could not be made or
 *   changed (needs root and iproute2; the message holds `ip`'s complaint).
 * - `INVALID_STATE`: the call does not fit the server's state (start while running, use after destroy).
 */
export type TestEnvErrorCode =
  | 'INVALID_CONFIG'
  | 'BINARY_MISSING'
  | 'PORT_TAKEN'
  | 'DIR_NOT_WRITABLE'
  | 'PROCESS_EXITED'
  | 'START_TIMEOUT'
  | 'STOP_TIMEOUT'
  | 'REPLICATION_TIMEOUT'
  | 'TEMPLATE_FAILED'
  | 'LOCK_TIMEOUT'
  | 'NETWORK_SETUP_FAILED'
  | 'INVALID_STATE';

// A start on other ports, or a later try once a busy machine catches up, can succeed unchanged.
const RETRYABLE: ReadonlySet<TestEnvErrorCode> = new Set<TestEnvErrorCode>([
  'PORT_TAKEN',
  'START_TIMEOUT',
  'LOCK_TIMEOUT',
]);

/** One problem with a location: `path` is dotted (`shape.2.name`), `message` says what is wrong. */
export interface TestEnvErrorDetail {
  readonly path: string;
  readonly message: string;
}

/** Options of {@link TestEnvError}. */
export interface TestEnvErrorOptions {
  /** The underlying error, if any. */
  cause?: unknown;
  /** Problems with a location (option fields); empty when the error has none. */
  details?: readonly TestEnvErrorDetail[];
  /** Structured facts for logs (server name, port, paths). */
  context?: Readonly<Record<string, unknown>>;
}

/**
 * The one error type of `@orc/testenv`, shaped as ADR 0002 asks of every package's error.
 *
 * @example
 * ```ts
 * try { await startMariaDb(); } catch (err) {
 *   if (err instanceof TestEnvError && err.code === 'BINARY_MISSING') console.error(err.message);
 *   throw err;
 * }
 * ```
 */
export class TestEnvError extends Error {
  /** What went wrong, from a closed set. */
  readonly code: TestEnvErrorCode;
  /** Whether the same call may succeed later unchanged (e.g. on other ports). */
  readonly retryable: boolean;
  /** Problems with a location, e.g. each bad option of an `INVALID_CONFIG`; empty otherwise. */
  readonly details: readonly TestEnvErrorDetail[];
  /** Structured facts for logs (server name, port, paths). */
  readonly context: Readonly<Record<string, unknown>>;

  constructor(code: TestEnvErrorCode, message: string, options: TestEnvErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TestEnvError';
    this.code = code;
    this.retryable = RETRYABLE.has(code);
    this.details = Object.freeze([...(options.details ?? [])]);
    this.context = options.context ?? {};
  }
}

/**
 * Whether `err` is a {@link TestEnvError}, with the given code when one is named.
 *
 * @example
 * ```ts
 * if (isTestEnvError(err, 'PORT_TAKEN')) retry();
 * ```
 */
export function isTestEnvError(err: unknown, code?: TestEnvErrorCode): err is TestEnvError {
  return err instanceof TestEnvError && (code === undefined || err.code === code);
}
