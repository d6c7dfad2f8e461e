import { describe, it, expect } from '@jest/globals';
import { BackendError, toBackendError, type BackendErrorCode } from './errors.js';

const withCode = (code: string, message = code) => Object.assign(new Error(message), { code });

describe('toBackendError', () => {
  it('classifies connection failures as retryable UNREACHABLE', () => {
    for (const code of ['ECONNREFUSED', 'ETIMEDOUT', 'PROTOCOL_CONNECTION_LOST', 'ENOTFOUND']) {
      const e = toBackendError(withCode(code), 'read');
      expect(e).toMatchObject({ code: 'UNREACHABLE', retryable: true });
      expect(e.message).toContain('read');
      expect(e.cause).toBeInstanceOf(Error);
    }
  });

  it('classifies locks as BUSY, duplicates as CONFLICT, the rest as QUERY_FAILED', () => {
    expect(toBackendError(withCode('ER_LOCK_DEADLOCK'), 'x')).toMatchObject({ code: 'BUSY', retryable: true });
    expect(toBackendError(withCode('SQLITE_BUSY'), 'x')).toMatchObject({ code: 'BUSY', retryable: true });
    expect(toBackendError(withCode('ER_DUP_ENTRY'), 'x')).toMatchObject({ code: 'CONFLICT', retryable: false });
    expect(toBackendError(withCode('ER_PARSE_ERROR'), 'x')).toMatchObject({ code: 'QUERY_FAILED', retryable: false });
    expect(toBackendError('text', 'x')).toMatchObject({ code: 'QUERY_FAILED' });
  });

  it('passes a BackendError through', () => {
    const e = new BackendError('CLOSED', 'closed');
    expect(toBackendError(e, 'x')).toBe(e);
  });

  it('gives every error an UPPER_SNAKE code, retryable, and details (empty unless located)', () => {
    const codes: readonly BackendErrorCode[] = [
      'UNREACHABLE',
      'BUSY',
      'CLOSED',
      'INVALID_CONFIG',
      'INVALID_ARGUMENT',
      'SCHEMA_TOO_NEW',
      'MIGRATION_FAILED',
      'CONFLICT',
      'SNAPSHOT_INVALID',
      'QUERY_FAILED',
    ];
    for (const code of codes) {
      const e = new BackendError(code, 'm');
      expect(code).toMatch(/^[A-Z]+(_[A-Z]+)*$/);
      expect(e.retryable).toBe(code === 'UNREACHABLE' || code === 'BUSY');
      expect(e.details).toEqual([]);
    }
    const located = new BackendError('INVALID_CONFIG', 'm', { details: [{ path: 'mysql.port', message: 'bad' }] });
    expect(located.details).toEqual([{ path: 'mysql.port', message: 'bad' }]);
  });
});
