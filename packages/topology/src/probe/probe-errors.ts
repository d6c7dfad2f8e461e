import type { TopologyErrorCode } from '../errors.js';
import { TopologyError } from '../errors.js';

interface DriverError {
  code?: unknown;
  errno?: unknown;
  message?: unknown;
  fatal?: unknown;
}

const AUTH_ERRNOS = new Set([1044, 1045, 1130, 1251, 1524, 1698]);
/** Errors that mean "this server cannot run this statement": try an alternative, never fail the probe for it. */
const UNUSABLE_STATEMENT_ERRNOS = new Set([1064, 1193, 1227, 1142, 1143, 1044, 1235, 1286, 1146, 1109]);

/** Maps a mysql2 / socket error to a {@link TopologyErrorCode}. */
export function classifyDriverError(error: unknown): TopologyErrorCode {
  const e = (error ?? {}) as DriverError;
  const code = typeof e.code === 'string' ? e.code : '';
  const errno = typeof e.errno === 'number' ? e.errno : -1;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME' || code === 'EAI_FAIL') {
    return 'UNRESOLVABLE_HOST';
  }
  if (['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL'].includes(code)) return 'CONNECTION_REFUSED';
  if (AUTH_ERRNOS.has(errno) || code === 'ER_ACCESS_DENIED_ERROR' || code === 'ER_NOT_SUPPORTED_AUTH_MODE') {
    return 'AUTH_FAILED';
  }
  if (code === 'ETIMEDOUT' || code === 'PROTOCOL_SEQUENCE_TIMEOUT' || code === 'ORC_PROBE_TIMEOUT') return 'TIMEOUT';
  if (
    ['PROTOCOL_CONNECTION_LOST', 'ECONNRESET', 'EPIPE', 'ECONNABORTED', 'ERR_STREAM_DESTROYED'].includes(code) ||
    e.fatal === true
  ) {
    return 'CONNECTION_LOST';
  }
  if (errno > 0) return 'QUERY_FAILED';
  return 'CONNECTION_LOST';
}

/** Whether the server rejected the statement itself (unknown syntax, variable, table or privilege). */
export function isUnusableStatement(error: unknown): boolean {
  const e = (error ?? {}) as DriverError;
  return typeof e.errno === 'number' && UNUSABLE_STATEMENT_ERRNOS.has(e.errno) && e.fatal !== true;
}

/** Wraps a driver error into a {@link TopologyError} naming the instance and the step. */
export function probeError(error: unknown, key: string, step: string): TopologyError {
  if (error instanceof TopologyError) return error;
  const code = classifyDriverError(error);
  const detail = error instanceof Error ? error.message : String(error);
  return new TopologyError(code, `probe of ${key} failed at ${step}: ${detail}`, { cause: error });
}
